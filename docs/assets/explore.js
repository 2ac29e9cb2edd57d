// The Explore panel of a scheduler page. Every curve it can show is a real torch run made at
// build time and published in explore.json (see gen/explore.py); this script only decodes and
// draws them. There is deliberately no scheduler arithmetic here.
(() => {
  const NS = "http://www.w3.org/2000/svg";
  const PINS = 3;
  let stop = null; // aborts the previous page's listeners under Material's instant navigation

  const h = (tag, attrs = {}, ...kids) => {
    const e = tag.startsWith("svg:") ? document.createElementNS(NS, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) v != null && e.setAttribute(k, v);
    e.append(...kids);
    return e;
  };

  // A message of the page's words with its {fields} filled: say("Pin {k}: ", { k: 2 }).
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (field, name) => values[name] ?? field);

  // Inverse of gen/explore.py's encode: x is the running sum of running sums of d; value = x * 10**e.
  const decode = ({ e, d }) => {
    const out = new Float64Array(d.length);
    let x = 0, slope = 0;
    d.forEach((v, i) => {
      if (i) { slope += v; x += slope; } else x = v;
      out[i] = e < 0 ? x / 10 ** -e : x * 10 ** e;
    });
    return out;
  };

  const fmt = (v) => {
    if (v === 0) return "0";
    const a = Math.abs(v);
    return a < 1e-3 || a >= 1e5 ? v.toExponential(a.toExponential(1).includes(".0e") ? 0 : 1).replace("e-", "e−") : String(+v.toPrecision(3));
  };

  // Round tick positions: 1, 2 or 5 times a power of ten, about n of them.
  const ticks = (lo, hi, n) => {
    const raw = (hi - lo) / n, mag = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  };
  const logTicks = (lo, hi) => {
    const out = [];
    for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++)
      for (const m of hi / lo < 30 ? [1, 2, 5] : [1]) {
        const v = +(m * 10 ** k).toPrecision(12);
        if (v >= lo && v <= hi) out.push(v);
      }
    return out;
  };

  // A column as text, once per column: thousands of number-to-string conversions otherwise per redraw.
  const texts = new WeakMap();
  const listed = (y) => texts.get(y) ?? (texts.set(y, Array.from(y).join(",")), texts.get(y));

  // One chart: lines (each {y, cls, dash, now}) on shared axes; log drops values <= 0.
  function chart(svg, lines, { width, height, log, ylabel, xlabel }) {
    const m = { l: 58, r: 10, t: 8, b: 36 }, w = width - m.l - m.r, ht = height - m.t - m.b;
    const n = lines[0].y.length;
    let lo = Infinity, hi = -Infinity;
    for (const { y } of lines) for (const v of y) if (!log || v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(lo <= hi)) { lo = log ? 1e-3 : 0; hi = 1; }
    let yt;
    if (log) {
      const pad = lo === hi ? 2 : (hi / lo) ** 0.04;
      lo /= pad; hi *= pad;
      yt = logTicks(lo, hi);
      if (yt.length < 2) { yt = [lo, hi]; }
    } else {
      const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.1 || 1;
      lo -= pad; hi += pad;
      if (lo < 0 && lo + pad >= 0) lo = Math.min(0, lo + pad); // keep a non-negative curve above 0
      yt = ticks(lo, hi, Math.max(3, Math.round(ht / 45)));
    }
    const f = log ? Math.log10 : (v) => v, fl = f(lo), fh = f(hi);
    const X = (i) => m.l + (n > 1 ? (i / (n - 1)) * w : 0);
    const Y = (v) => m.t + ht - ((f(v) - fl) / (fh - fl)) * ht;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    const g = h("svg:g", { class: "atlas-x-axes" });
    g.append(h("svg:rect", { x: m.l, y: m.t, width: w, height: ht, class: "atlas-x-frame" }));
    for (const v of yt) {
      const y = Y(v).toFixed(1);
      g.append(h("svg:line", { x1: m.l, x2: m.l + w, y1: y, y2: y, class: "atlas-x-grid" }));
      g.append(h("svg:text", { x: m.l - 6, y, dy: "0.32em", "text-anchor": "end" }, fmt(v)));
    }
    for (const v of ticks(0, n - 1, Math.max(2, Math.round(w / 80))).filter(Number.isInteger)) {
      const x = X(v).toFixed(1);
      g.append(h("svg:line", { x1: x, x2: x, y1: m.t + ht, y2: m.t + ht + 4, class: "atlas-x-tick" }));
      g.append(h("svg:text", { x, y: m.t + ht + 16, "text-anchor": "middle" }, String(v)));
    }
    g.append(h("svg:text", { x: m.l + w / 2, y: height - 3, "text-anchor": "middle" }, xlabel));
    g.append(h("svg:text", { transform: `translate(12 ${m.t + ht / 2}) rotate(-90)`, "text-anchor": "middle" }, ylabel));
    const paths = lines.map(({ y, cls, dash, now }) => {
      let d = "", pen = false;
      y.forEach((v, i) => {
        if (log && !(v > 0)) { pen = false; return; }
        d += `${pen ? "L" : "M"}${X(i).toFixed(1)} ${Y(v).toFixed(1)}`;
        pen = true;
      });
      // The plotted numbers, for tests and anyone inspecting the page: exactly what torch gave.
      return h("svg:path", { d, class: `atlas-x-line ${cls}`, "stroke-dasharray": dash ? "5 3" : null, "data-now": now ? "" : null, "data-y": listed(y) });
    });
    svg.replaceChildren(g, ...paths.reverse()); // the current setting drawn last, on top
  }

  // `w`: the panel's words in the page's language (gen/explore.py panel_words), from its root
  // element; explore.json, which both editions share, is English.
  function build(root, data, w, want, signal) {
    const details = root.querySelector("details");
    const runs = data.runs.map((r) => ({ call: r.call, cols: r.columns.map(decode) }));
    const controls = data.controls;
    const lrCol = data.columns.indexOf("lr"), other = data.columns.findIndex((c) => c !== "lr");
    const otherName = other < 0 ? null : data.columns[other];
    const key = (arg) => controls.findIndex((c) => c.arg === arg);
    const state = controls.map((c) => c.start);
    const pins = [];
    const index = (s) => s.reduce((acc, v, i) => acc * controls[i].values.length + v, 0);
    const words = (s) => controls.map((c, i) => `${c.arg}=${c.values[s[i]]}`).join(", ");
    for (const [k, v] of want || []) { const i = key(k), j = i < 0 ? -1 : controls[i].values.indexOf(v); if (j >= 0) state[i] = j; }
    for (const [k, v] of want || []) { // a pinned setting: its values in the controls' order, `a|b|c`
      const pin = k === "pin" ? v.split("|").map((x, i) => controls[i]?.values.indexOf(x) ?? -1) : [];
      if (pin.length === controls.length && pin.every((j) => j >= 0) && pins.length < PINS && !pins.some((p) => index(p) === index(pin))) pins.push(pin);
    }

    const inputs = controls.map((c, i) => {
      const id = `atlas-x-${c.arg}`;
      const numeric = c.values.length > 2 && c.values.every((v) => v !== "" && !isNaN(+v));
      const input = numeric
        ? h("input", { id, type: "range", min: 0, max: c.values.length - 1, step: 1 })
        : h("select", { id }, ...c.values.map((v, j) => h("option", { value: j }, v)));
      const out = numeric ? h("output", { for: id }) : ""; // a select shows its value itself
      input.addEventListener("input", () => { state[i] = +input.value; draw(); }, { signal });
      input.addEventListener("change", remember, { signal }); // on release: replaceState costs ~0.5 ms
      const idle = h("span", { class: "atlas-x-idle", id: `${id}-idle`, hidden: "" }, w.idle);
      return { input, out, numeric, idle, row: h("div", { class: "atlas-x-control" }, h("label", { for: id }, w.labels[c.arg]), input, out, idle) };
    });
    const log = h("input", { type: "checkbox", id: "atlas-x-log" });
    log.checked = !!data.log;
    log.addEventListener("change", draw, { signal });
    const pinBtn = h("button", { type: "button", class: "atlas-x-btn" }, w.pin);
    const live = h("p", { class: "atlas-x-live", "aria-live": "polite" });
    const main = h("svg:svg", { role: "img", class: "atlas-x-chart" });
    const second = otherName && h("svg:svg", { role: "img", class: "atlas-x-chart" });
    const legend = h("ul", { class: "atlas-x-legend", "aria-label": w.pins });
    const call = h("code", { tabindex: 0 }), script = h("code", { tabindex: 0 }); // scrollable: reachable by keyboard
    const copy = (label, copied, text) => {
      const b = h("button", { type: "button", class: "atlas-x-btn" }, label);
      b.addEventListener("click", async () => {
        const done = await navigator.clipboard?.writeText(text()).then(() => true, () => false);
        live.textContent = done ? copied : w.blocked;
      }, { signal });
      return b;
    };
    const link = () => location.href;
    const callText = () => runs[index(state)].call.replace(/\n {4}/g, "\n");
    const scriptText = () => data.snippet.replace(data.mark, runs[index(state)].call);
    const body = h("div", { class: "atlas-x-body" },
      h("div", { class: "atlas-x-controls" }, ...inputs.map((x) => x.row),
        h("div", { class: "atlas-x-control" }, log, h("label", { for: "atlas-x-log" }, w.log))),
      h("figure", { class: "atlas-x-figure" }, main, ...(second ? [second] : [])),
      live,
      h("div", { class: "atlas-x-actions" }, pinBtn, copy(w.copyLink, w.copiedLink, link)),
      legend,
      h("p", {}, w.call),
      h("pre", {}, call),
      h("div", { class: "atlas-x-actions" }, copy(w.copyCall, w.copiedCall, callText), copy(w.copyScript, w.copiedScript, scriptText)),
      h("details", {}, h("summary", {}, say(w.script, { needs: w.needs })), h("pre", {}, script)));
    details.append(body);

    pinBtn.addEventListener("click", () => {
      const i = index(state);
      if (pins.length < PINS && !pins.some((p) => index(p) === i)) pins.push([...state]);
      draw();
      remember();
      clearTimeout(speaking);
      live.textContent = say(w.pinned, { setting: words(state) });
    }, { signal });

    // The setting goes in the query, not the hash: Material's navigation.tracking rewrites the
    // hash to the nearest heading as the reader scrolls, but keeps the query.
    function remember() {
      const url = new URL(location.href);
      url.search = new URLSearchParams([...controls.map((c, i) => [c.arg, c.values[state[i]]]),
        ...pins.map((p) => ["pin", p.map((j, i) => controls[i].values[j]).join("|")])]);
      url.hash = "explore";
      history.replaceState(history.state, "", url);
    }

    let speaking = 0;
    function draw() {
      const run = runs[index(state)], lr = run.cols[lrCol];
      inputs.forEach(({ input, out, numeric, idle }, i) => {
        const v = controls[i].values[state[i]];
        input.value = state[i];
        if (numeric) { out.textContent = v; input.setAttribute("aria-valuetext", v); }
        // Said, not guessed: no value of this control changes any column of the current runs
        // (CyclicLR's gamma outside exp_range).
        idle.hidden = !controls[i].values.every((_, j) => runs[index(state.map((s, k) => (k === i ? j : s)))].cols
          .every((col, m) => col.every((y, t) => y === run.cols[m][t])));
        if (idle.hidden) input.removeAttribute("aria-describedby"); // a hidden note would still be read
        else input.setAttribute("aria-describedby", idle.id);
      });
      const width = Math.max(260, Math.min(760, bodyWidth || 640));
      const lines = (col) => [{ y: runs[index(state)].cols[col], cls: "atlas-x-c0", now: true },
        ...pins.map((p, k) => ({ y: runs[index(p)].cols[col], cls: `atlas-x-c${k + 1}`, dash: true }))];
      const peak = lr.reduce((b, v, i) => (v > lr[b] ? i : b), 0);
      const summary = say(w.summary, { setting: words(state), first: fmt(lr[0]), last: fmt(lr[lr.length - 1]),
        n: lr.length, units: w.units, peak: fmt(lr[peak]), unit: w.unit, at: peak });
      chart(main, lines(lrCol), { width, height: Math.round(Math.min(320, Math.max(200, width * 0.45))), log: log.checked, ylabel: w.axes.lr, xlabel: w.units });
      main.setAttribute("aria-label", say(w.chart, { summary }));
      if (second) {
        chart(second, lines(other), { width, height: 150, log: false, ylabel: w.axes[otherName], xlabel: w.units });
        const y = run.cols[other];
        second.setAttribute("aria-label", say(w.from, { name: w.names[otherName], first: fmt(y[0]), last: fmt(y[y.length - 1]) }));
      }
      call.textContent = callText();
      script.textContent = scriptText();
      clearTimeout(speaking); // said once the reader stops moving, not at every step of a slider
      speaking = setTimeout(() => { live.textContent = summary; }, 500);
      pinBtn.disabled = pins.length >= PINS || pins.some((p) => index(p) === index(state));
      legend.replaceChildren(...(pins.length ? [{ s: state, k: 0 }, ...pins.map((s, k) => ({ s, k: k + 1 }))] : []).map(({ s, k }) => {
        const item = h("li", {}, h("span", { class: `atlas-x-swatch atlas-x-c${k}`, "aria-hidden": "true" }), k ? say(w.pinK, { k }) : w.now, words(s));
        if (k) {
          const rm = h("button", { type: "button", class: "atlas-x-remove", "aria-label": say(w.remove, { k, setting: words(s) }) }, "×");
          rm.addEventListener("click", () => { pins.splice(k - 1, 1); draw(); remember(); pinBtn.focus(); }, { signal });
          item.append(rm);
        }
        return item;
      }));
    }

    // The width comes from the observer: reading clientWidth in draw() would force a layout of
    // the whole page on every input, most of the redraw's time.
    let bodyWidth = body.clientWidth;
    const resize = new ResizeObserver(([e]) => {
      if (Math.abs(e.contentRect.width - bodyWidth) < 1) return;
      bodyWidth = e.contentRect.width;
      if (details.open) draw();
    });
    resize.observe(body);
    signal.addEventListener("abort", () => resize.disconnect());
    draw();
    if (want?.length) remember(); // a `#explore?...` link becomes the form that survives scrolling
    root.dataset.ready = "true";
  }

  // A linked setting, `?T_0=10&T_mult=2#explore` (what the panel writes) or `#explore?T_0=10&T_mult=2`,
  // with any pins (`&pin=20|1`):
  // [["T_0", "10"], ["T_mult", "2"]], or null when the address names none of this page's controls.
  const wanted = (args) => {
    const hash = location.hash.startsWith("#explore?") ? location.hash.slice(9) : "";
    const found = [...new URLSearchParams(location.search), ...new URLSearchParams(hash)].filter(([k]) => k === "pin" || args.includes(k));
    return found.length || location.hash === "#explore" ? found : null;
  };

  function mount() {
    stop?.abort();
    stop = new AbortController();
    const { signal } = stop;
    const root = document.querySelector(".atlas-explore[data-explore]");
    if (!root) return;
    const details = root.querySelector("details");
    const want = wanted(root.dataset.args.split(" "));
    const w = JSON.parse(root.dataset.words);
    let loading = null;
    const open = () => {
      loading ??= fetch(new URL(root.dataset.explore, location.href), { signal })
        .then((r) => { if (!r.ok) throw new Error(`${r.status} ${r.url}`); return r.json(); })
        .then((data) => build(root, data, w, want, signal))
        .catch((e) => { if (!signal.aborted) { root.dataset.ready = "error"; details.append(h("p", {}, say(w.failed, { error: e.message }))); } });
    };
    details.addEventListener("toggle", () => details.open && open(), { signal });
    if (want) {
      details.open = true;
      open();
      root.scrollIntoView();
      root.querySelector("summary").focus({ preventScroll: true });
    }
  }

  if (window.document$) window.document$.subscribe(mount);
  else mount();
})();
