// Customer chat: talks to Rasa through the same-origin proxy POST /api/chat.
// Every text from the bot is inserted with textContent, never as HTML.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  const typing = document.getElementById("typing");
  const handoff = document.getElementById("handoff");
  const error = document.getElementById("error");

  function newSender() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  let sender = sessionStorage.getItem("frontdoor-sender");
  if (!sender) {
    sender = newSender();
    sessionStorage.setItem("frontdoor-sender", sender);
  }
  const token = new URLSearchParams(window.location.search).get("token") ||
    (document.documentElement.dataset.customerToken || null);

  function plain(text) {
    return String(text).replace(/\*\*(.+?)\*\*/g, "$1");
  }

  function addMessage(who, text) {
    const item = document.createElement("li");
    item.className = "message " + who;
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = who === "user" ? "You said: " : "Assistant: ";
    const body = document.createElement("span");
    body.className = "text";
    body.textContent = plain(text);
    item.append(label, body);
    log.append(item);
    item.scrollIntoView({block: "end"});
    return item;
  }

  function addButtons(item, buttons) {
    const group = document.createElement("div");
    group.className = "choices";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Choices");
    for (const choice of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title;
      button.addEventListener("click", () => {
        for (const other of group.querySelectorAll("button")) other.disabled = true;
        talk(choice.payload, choice.title);
      });
      group.append(button);
    }
    item.append(group);
  }

  function showHandoff(custom) {
    const reference = typeof custom.case_reference === "string" ? custom.case_reference : "";
    handoff.textContent = reference
      ? "You're being connected to an agent, case " + reference + "."
      : "You're being connected to an agent.";
    handoff.hidden = false;
  }

  function busy(on) {
    typing.hidden = !on;
    send.disabled = on;
    log.setAttribute("aria-busy", on ? "true" : "false");
  }

  async function talk(message, shown) {
    error.hidden = true;
    addMessage("user", shown === undefined ? message : shown);
    busy(true);
    try {
      const body = {sender: sender, message: message};
      if (token) body.customer_token = token;
      const response = await fetch("/api/chat", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body),
      });
      const replies = await response.json();
      if (!response.ok) throw new Error(replies.error || "the assistant could not answer");
      for (const reply of replies) {
        const custom = reply.custom || {};
        if (reply.text) {
          const item = addMessage("bot", reply.text);
          if (Array.isArray(reply.buttons) && reply.buttons.length) addButtons(item, reply.buttons);
        }
        if (custom.handoff) showHandoff(custom);
      }
      document.body.dataset.replies = String(log.querySelectorAll(".message.bot").length);
    } catch (failure) {
      error.textContent = "Sorry, something went wrong: " + failure.message;
      error.hidden = false;
    } finally {
      busy(false);
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    talk(text);
  });
  document.body.dataset.ready = "true";
})();
