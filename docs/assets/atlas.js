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
