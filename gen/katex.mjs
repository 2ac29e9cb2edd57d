// Renders TeX to HTML for the build: one JSON request per line in, one JSON answer per line out.
// Request: {"tex": "...", "display": true}. Answer: {"html": "..."} or {"error": "..."}.
import katex from "katex";
import { createInterface } from "node:readline";

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { tex, display } = JSON.parse(line);
  let answer;
  try {
    answer = { html: katex.renderToString(tex, { displayMode: display, throwOnError: true }) };
  } catch (err) {
    answer = { error: String(err.message || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
