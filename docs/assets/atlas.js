// Nothing here reads the layout or watches the whole page: at load the page's scripts already
// restyle it several times (Material's bundle), and every extra pass over its ~2000 elements
// showed up in Lighthouse's Total Blocking Time.

// Accessible names for two of Material's own elements (axe and Lighthouse flag them):
// the search dialog, and the unnamed <nav> (copy button) it adds to every code block, which
// screen readers would otherwise list as many identical landmarks. Material adds a block's <nav>
// when the block first scrolls into view (the content.lazy feature), so each <pre> is watched
// for it: a child list, not every node of the page.
let watching = null;
const name = () => {
  document.querySelector(".md-search[role=dialog]:not([aria-label])")?.setAttribute("aria-label", "Search");
  watching?.disconnect();
  const blocks = [...document.querySelectorAll(".md-content pre > code")].map((code) => code.parentElement);
  const label = (pre) => {
    const nav = pre.querySelector(":scope > .md-code__nav:not([aria-label])");
    nav?.setAttribute("aria-label", `Code block ${blocks.indexOf(pre) + 1}`);
  };
  watching = new MutationObserver((records) => records.forEach((r) => label(r.target)));
  blocks.forEach((pre) => {
    label(pre);
    watching.observe(pre, { childList: true });
    // Material makes a block that scrolls sideways keyboard-reachable (tabindex) as it sets it
    // up, which it now does only when the block first comes into view: until then each block
    // has one (no layout read to find which ones scroll), and Material removes the needless ones.
    const code = pre.querySelector(":scope > code");
    if (!pre.id.startsWith("__code_") && !code.hasAttribute("tabindex")) code.tabIndex = 0;
  });
};
if (window.document$) document$.subscribe(name);
else name();

// Reproduce scripts arrive as plain text and are coloured when first opened, with Pygments'
// spans from the page's highlight.json (see gen/figure.py, highlights), beside the English page
// (`data-atlas-at` leads there from the Chinese one). Without it (a file://
// copy) they stay plain text. One listener for every page (`toggle` does not bubble, so it is
// caught on its way down), which instant navigation keeps: nothing to set up per page.
const highlights = new Map(); // URL -> Promise of {case id: spans}, fetched once per page
const spansFor = (url) => {
  if (!highlights.has(url)) {
    highlights.set(url, fetch(url).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  return highlights.get(url);
};
document.addEventListener(
  "toggle",
  async ({ target: details }) => {
    if (!(details instanceof HTMLDetailsElement) || !details.open || details.dataset.atlasColoured) return;
    const data = details.nextElementSibling;
    const code = details.querySelector("pre > code");
    if (!data?.matches("div[data-atlas-code]") || !code) return;
    details.dataset.atlasColoured = "done";
    const spans = (await spansFor(new URL(`${data.dataset.atlasAt ?? ""}highlight.json`, location.href).href))[data.dataset.atlasCode];
    if (spans) code.innerHTML = spans;
  },
  true,
);
