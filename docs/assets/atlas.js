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

// Reproduce scripts arrive as plain text and are coloured when first opened: the highlighted
// spans wait in an attribute of a hidden <div> after each one (see gen/pages.py, code_html).
const colour = () => {
  document.querySelectorAll("div[data-atlas-code]").forEach((data) => {
    const details = data.previousElementSibling;
    const code = details?.querySelector("pre > code");
    if (!code || details.dataset.atlasColoured) return;
    details.dataset.atlasColoured = "pending";
    details.addEventListener("toggle", () => {
      if (details.open && details.dataset.atlasColoured === "pending") {
        code.innerHTML = data.dataset.atlasCode;
        details.dataset.atlasColoured = "done";
      }
    });
  });
};
if (window.document$) document$.subscribe(colour);
else colour();
