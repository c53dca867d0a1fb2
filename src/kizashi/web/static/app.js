// kizashi: small progressive enhancements over server-rendered pages.
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }

  async function apiError(response) {
    try { const body = await response.json(); return body.detail || response.statusText; }
    catch (e) { return response.statusText; }
  }

  // What-if page: recompute the scenario list whenever a fix or the tolerance changes.
  const form = $("#whatif-form");
  if (form) {
    const results = $("#results");
    let pending = 0;
    const query = () => {
      const params = new URLSearchParams();
      form.querySelectorAll("select[data-descriptor]").forEach((s) => {
        if (s.value) params.append("fix", s.dataset.descriptor + "=" + s.value);
        s.closest("label").classList.toggle("on", !!s.value);
      });
      params.set("tolerance", $("#tolerance").value || "0");
      return params.toString();
    };
    const refresh = async () => {
      const qs = query();
      const ticket = ++pending;
      results.classList.add("loading");
      const response = await fetch("/whatif/results?" + qs, { headers: { "Accept": "text/html" } });
      if (ticket !== pending) return;
      results.classList.remove("loading");
      results.innerHTML = response.ok ? await response.text() : '<p class="error-box">' + (await response.text()) + "</p>";
      history.replaceState(null, "", "/whatif?" + qs);
      bindCompare();
    };
    form.addEventListener("change", refresh);
    form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
    const clear = $("#clear-fixes");
    if (clear) clear.addEventListener("click", () => {
      form.querySelectorAll("select[data-descriptor]").forEach((s) => { s.value = ""; });
      refresh();
    });
    bindCompare();
  }

  function bindCompare() {
    const button = $("#compare-btn");
    if (!button) return;
    const picks = Array.from(document.querySelectorAll("input.pick"));
    const update = () => {
      const chosen = picks.filter((p) => p.checked);
      button.disabled = chosen.length !== 2;
      picks.forEach((p) => { p.disabled = !p.checked && chosen.length >= 2; });
    };
    picks.forEach((p) => p.addEventListener("change", update));
    button.addEventListener("click", () => {
      const chosen = picks.filter((p) => p.checked).map((p) => p.value);
      if (chosen.length !== 2) return;
      const params = new URLSearchParams(button.dataset.fix || "");
      params.set("a", chosen[0]);
      params.set("b", chosen[1]);
      params.set("tolerance", button.dataset.tolerance || "0");
      window.location.href = "/compare?" + params.toString();
    });
    update();
  }

  // Judgement page: save an edit through the API.
  const jform = $("#judgement-form");
  if (jform) {
    jform.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const status = $("#save-status");
      const evidence = jform.evidence.value.split("\n").map((l) => l.trim()).filter(Boolean).map((line) => {
        const cut = line.indexOf("|");
        return cut < 0 ? { source: "", quote: line } : { source: line.slice(0, cut).trim(), quote: line.slice(cut + 1).trim() };
      });
      const body = { score: parseFloat(jform.score.value), rationale: jform.rationale.value, evidence: evidence };
      const url = "/api/judgements/" + encodeURIComponent(jform.dataset.from) + "/" + encodeURIComponent(jform.dataset.to);
      status.textContent = "saving…";
      status.className = "";
      const response = await fetch(url, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      if (response.ok) {
        status.textContent = "saved";
        status.className = "ok";
        window.location.reload();
      } else {
        status.textContent = await apiError(response);
        status.className = "bad";
      }
    });
  }

  // Matrix page: undo the latest edit.
  const undo = $("#undo");
  if (undo) {
    undo.addEventListener("click", async () => {
      const response = await fetch("/api/undo", { method: "POST" });
      if (response.ok) window.location.reload();
      else alert(await apiError(response));
    });
  }
})();
