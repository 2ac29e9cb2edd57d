// Accessible names for two of Material's own elements (axe and Lighthouse flag them):
// the search dialog, and the unnamed <nav> (copy button) it adds to every code block, which
// screen readers would otherwise list as many identical landmarks.
const name = () => {
  document.querySelector(".md-search[role=dialog]:not([aria-label])")?.setAttribute("aria-label", "Search");
  const navs = [...document.querySelectorAll(".md-code__nav")];
  navs.forEach((nav, i) => nav.hasAttribute("aria-label") || nav.setAttribute("aria-label", `Code block ${i + 1}`));
};
name();
new MutationObserver(name).observe(document.body, { childList: true, subtree: true });

// Reproduce scripts arrive as plain text and are coloured when first opened, with Pygments'
// spans from the page's highlight.json (see gen/pages.py, code_html). Without it (a file://
// copy) they stay plain text.
const highlights = new Map(); // URL -> Promise of {case id: spans}, fetched once per page
const spansFor = (url) => {
  if (!highlights.has(url)) {
    highlights.set(url, fetch(url).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  return highlights.get(url);
};
const colour = () => {
  document.querySelectorAll("div[data-atlas-code]").forEach((data) => {
    const details = data.previousElementSibling;
    const code = details?.querySelector("pre > code");
    if (!code || details.dataset.atlasColoured) return;
    details.dataset.atlasColoured = "pending";
    details.addEventListener("toggle", async () => {
      if (!details.open || details.dataset.atlasColoured !== "pending") return;
      details.dataset.atlasColoured = "done";
      const spans = (await spansFor(new URL("highlight.json", location.href).href))[data.dataset.atlasCode];
      if (spans) code.innerHTML = spans;
    });
  });
};
if (window.document$) document$.subscribe(colour);
else colour();
