// Marsad's pages, enhanced: search as you type, and new matching articles live at the top of the results
// (counted first, shown when the counter is clicked, so the list never moves under the reader).
// Without this file every page works the same through plain links and forms.
"use strict";
(() => {
  const form = document.querySelector("form[data-live]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  let results = document.getElementById("results");
  let timer = 0;
  let pending = null;   // the request in flight: a newer keystroke aborts it, so an old answer never wins
  let stream = null;
  let fresh = 0;

  const pageURL = () => {
    const params = new URLSearchParams(new FormData(form));
    if (!params.get("q")) params.delete("q");
    return "/?" + params.toString();
  };

  // The server renders the page; only its results region is swapped in. Focus and caret stay where they are.
  async function refresh() {
    const url = pageURL();
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    try {
      // "X-Marsad-Live": a query half typed (one letter, an open quote) is answered 200 with its message in
      // the page, not 400: it is a normal moment of typing, not a failed request.
      const response = await fetch(url, { signal: controller.signal, headers: { "Accept": "text/html", "X-Marsad-Live": "1" } });
      const html = await response.text();
      if (controller !== pending) return;
      const next = new DOMParser().parseFromString(html, "text/html").getElementById("results");
      if (next) {
        // The live region itself stays (screen readers announce changes inside it, not a new one).
        results.replaceChildren(...next.childNodes);
        results.toggleAttribute("data-listen", next.hasAttribute("data-listen"));
        history.replaceState(null, "", url);
        listen();
      }
    } catch (error) {
      if (error.name !== "AbortError") console.warn("marsad: search failed", error);
    } finally {
      if (controller === pending) pending = null;
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 40);
  });
  // «تجميع حسب القصة» and the other controls of the form search again at once.
  form.addEventListener("change", (event) => {
    if (event.target === input) return;
    clearTimeout(timer);
    refresh();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    refresh();
  });

  // New articles matching the query, from /api/stream, put at the top of the list with a counter.
  function listen() {
    if (stream) stream.close();
    fresh = 0;
    const q = input.value.trim();
    const list = results.querySelector(".hits");
    // Only on the first page of results: later pages are older articles.
    if (!q || !list || !window.EventSource || !results.hasAttribute("data-listen")) return;
    const params = new URLSearchParams({ q });
    for (const name of ["source", "since", "until"]) {
      const value = form.querySelector(`input[name=${name}]`)?.value;
      if (value) params.set(name, value);
    }
    stream = new EventSource("/api/stream?" + params.toString());
    stream.addEventListener("article", (event) => {
      const article = JSON.parse(event.data);
      if (list.querySelector(`[data-id="${CSS.escape(String(article.id))}"]`)) return;
      const item = document.createElement("li");
      item.className = "hit new";
      item.dataset.id = String(article.id);
      const heading = document.createElement("h2");
      const link = document.createElement("a");
      link.href = "/articles/" + encodeURIComponent(article.id);
      const title = document.createElement("bdi");
      title.textContent = article.title;
      link.append(title);
      heading.append(link);
      const meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = [article.source, article.published_at ? article.published_at.slice(0, 10) : null]
        .filter(Boolean).join(" · ");
      const snippet = document.createElement("p");
      snippet.className = "snippet";
      snippet.textContent = article.snippet;
      item.append(heading, meta, snippet);
      item.hidden = true;
      list.prepend(item);
      fresh += 1;
      const counter = results.querySelector(".live-count");
      if (counter) {
        counter.hidden = false;
        counter.querySelector("span").textContent = String(fresh);
      }
    });
  }

  // The counter shows the new articles at the top of the list.
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".live-count a");
    if (!link) return;
    event.preventDefault();
    for (const item of results.querySelectorAll(".hit.new[hidden]")) item.hidden = false;
    fresh = 0;
    link.parentElement.hidden = true;
    results.querySelector(".hits")?.scrollIntoView({ block: "start" });
  });
  listen();
})();
