// Ops dashboard: every figure comes from GET /api/analytics/summary; text goes in with textContent only.
"use strict";
(function () {
  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  const charts = {};
  const OUTCOME_COLOURS = {contained: "#0b6e4f", handed_off: "#f2a900", abandoned: "#c0392b", in_progress: "#8a94a0"};

  function percent(rate) {
    return rate === null || rate === undefined ? "-" : (rate * 100).toFixed(1) + "%";
  }

  function rate(raw) {
    return raw === null ? null : +(raw * 100).toFixed(1);
  }

  function value(summary, path) {
    return path.split(".").reduce((node, key) => (node === null || node === undefined ? node : node[key]), summary);
  }

  function format(path, raw) {
    if (raw === null || raw === undefined) return "-";
    if (path === "deflection_rate" || path === "deflection_without_repeat_rate") return percent(raw);
    if (path === "csat.mean") return Number(raw).toFixed(2);
    return String(raw);
  }

  function cell(text, numeric) {
    const td = document.createElement("td");
    td.textContent = text;
    if (numeric) td.className = "num";
    return td;
  }

  function fillTable(id, rows) {
    const body = document.getElementById(id);
    body.replaceChildren(...rows.map((cells) => {
      const tr = document.createElement("tr");
      tr.append(...cells.map((c) => cell(String(c), typeof c === "number")));
      return tr;
    }));
  }

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({responsive: true, maintainAspectRatio: false, animation: false}, config.options);
    charts[id] = new Chart(document.getElementById(id), config);
  }

  function outcomeDatasets(groups) {
    return ["contained", "handed_off", "abandoned", "in_progress"].map((outcome) => ({
      label: outcome.replace("_", " "), data: groups.map((g) => g[outcome]), backgroundColor: OUTCOME_COLOURS[outcome],
    }));
  }

  function render(summary) {
    for (const element of document.querySelectorAll("[data-field]")) {
      const path = element.dataset.field;
      element.textContent = format(path, value(summary, path));
    }
    const days = summary.by_day;
    draw("chart-day", {
      type: "line",
      data: {labels: days.map((d) => d.day), datasets: [
        {label: "deflection rate (%)", borderColor: "#0b6e4f", data: days.map((d) => rate(d.deflection_rate))},
        {label: "without repeat contact (%)", borderColor: "#1f5fa8", borderDash: [6, 3],
          data: days.map((d) => rate(d.deflection_without_repeat_rate))}]},
      options: {scales: {y: {min: 0, max: 100}}},
    });
    const channels = Object.keys(summary.by_channel);
    draw("chart-channel", {type: "bar", data: {labels: channels,
      datasets: outcomeDatasets(channels.map((c) => summary.by_channel[c]))},
      options: {scales: {x: {stacked: true}, y: {stacked: true, ticks: {precision: 0}}}}});
    fillTable("table-channel", channels.map((c) => [c, summary.by_channel[c].conversations,
      percent(summary.by_channel[c].deflection_rate), percent(summary.by_channel[c].deflection_without_repeat_rate)]));
    const reasons = Object.keys(summary.by_category);
    draw("chart-reason", {type: "bar", data: {labels: reasons,
      datasets: outcomeDatasets(reasons.map((r) => summary.by_category[r]))},
      options: {indexAxis: "y", scales: {x: {stacked: true, ticks: {precision: 0}}, y: {stacked: true}}}});
    fillTable("table-reason", reasons.map((r) => [r, summary.by_category[r].conversations,
      percent(summary.by_category[r].deflection_rate), percent(summary.by_category[r].deflection_without_repeat_rate)]));
    const handoffs = Object.entries(summary.handoff_reasons);
    draw("chart-handoff", {type: "bar", data: {labels: handoffs.map((h) => h[0]),
      datasets: [{label: "handoffs", data: handoffs.map((h) => h[1]), backgroundColor: "#f2a900"}]},
      options: {scales: {y: {ticks: {precision: 0}}}}});
    fillTable("table-handoff", handoffs.map((h) => [h[0], h[1]]));
    const articles = summary.knowledge;
    draw("chart-kb", {type: "bar", data: {labels: articles.map((a) => a.article_id), datasets: [
      {label: "helpful", data: articles.map((a) => a.helpful), backgroundColor: "#0b6e4f"},
      {label: "not helpful", data: articles.map((a) => a.not_helpful), backgroundColor: "#c0392b"}]},
      options: {indexAxis: "y", scales: {x: {stacked: true, ticks: {precision: 0}}, y: {stacked: true}}}});
    fillTable("table-kb", articles.map((a) => [a.article_id, a.shown, a.helpful, a.not_helpful]));
    fillTable("table-missed", summary.missed.map((m) => [m.text, m.kind.replace("_", " "), m.count]));
  }

  async function load() {
    const params = new URLSearchParams();
    for (const name of ["from", "to", "channel"]) {
      const field = form.elements[name];
      if (field.value) params.set(name, field.value);
    }
    document.body.dataset.ready = "false";
    status.textContent = "Loading...";
    try {
      const response = await fetch("/api/analytics/summary?" + params.toString());
      const body = await response.json();
      if (!response.ok) throw new Error(body.error || "request failed");
      render(body);
      status.textContent = "Updated " + new Date().toLocaleTimeString();
      document.body.dataset.ready = "true";
    } catch (failure) {
      status.textContent = "Could not load the figures: " + failure.message;
      document.body.dataset.ready = "error";
    }
  }

  const query = new URLSearchParams(window.location.search);
  for (const name of ["from", "to", "channel"]) {
    if (query.get(name)) form.elements[name].value = query.get(name);
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
})();
