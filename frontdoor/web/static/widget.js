// Web widget: Rasa Webchat 1.0.1 (vendored) on Rasa's socket.io channel, told where Rasa is by /api/webchat.
// ?token= goes out as customData.customer_token, the one metadata key the channel keeps. The handoff and
// refusals (frontdoor_error) are shown beside the widget, as text: the widget itself ignores both.
"use strict";
(async function () {
  const handoff = document.getElementById("handoff");
  const error = document.getElementById("error");

  function show(element, text) {
    element.textContent = text;
    element.hidden = false;
  }

  function onBotUttered(message) {
    const custom = (message && message.custom) || {};
    if (!custom.handoff) return;
    const reference = typeof custom.case_reference === "string" ? custom.case_reference : "";
    show(handoff, reference ? "You're being connected to an agent, case " + reference + "."
                            : "You're being connected to an agent.");
  }

  try {
    const response = await fetch("/api/webchat");
    const config = await response.json();
    if (!response.ok) throw new Error(config.error || "the widget settings could not be loaded");
    const token = new URLSearchParams(window.location.search).get("token");
    WebChat.default({
      socketUrl: config.socket_url,
      socketPath: config.socket_path,
      initPayload: "/greet",
      customData: token ? {customer_token: token} : {},
      embedded: true,
      title: "ZuriSend help",
      subtitle: "Our virtual assistant. Ask for an agent at any time.",
      inputTextFieldHint: "Type your message",
      customMessageDelay: () => 0,
      params: {storage: "session"},
      onSocketEvent: {
        bot_uttered: onBotUttered,
        frontdoor_error: (refusal) => show(error, "Sorry, that message was not sent: " + refusal.error),
      },
    }, document.getElementById("webchat"));
    document.body.dataset.ready = "true";
  } catch (failure) {
    show(error, "Sorry, the chat could not start: " + failure.message);
    document.body.dataset.ready = "error";
  }
})();
