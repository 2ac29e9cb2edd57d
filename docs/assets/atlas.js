// Material adds an unnamed <nav> (the copy button) to every code block; screen readers then
// list many identical landmarks. Name each one after its block's position on the page.
new MutationObserver(() => {
  document.querySelectorAll(".md-code__nav:not([aria-label])").forEach((nav) => {
    const blocks = [...document.querySelectorAll(".md-code__nav")];
    nav.setAttribute("aria-label", `Code block ${blocks.indexOf(nav) + 1}`);
  });
}).observe(document.body, { childList: true, subtree: true });
