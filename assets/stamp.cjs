// Writes the purged build to static/vendor/pico/pico.min.css with a header naming its source.
const fs = require("fs");
const path = require("path");
const pico = require("@picocss/pico/package.json");
// Sass starts a stylesheet holding non-ASCII text with a byte-order mark; after this header it
// would sit in the middle of the file and void the first rule (Pico's variables).
const css = fs
  .readFileSync(path.join(__dirname, "build/purged/pico.full.css"), "utf8")
  .replace(/^\uFEFF/, "");
const header =
  `/*! Pico CSS v${pico.version} | MIT License | https://picocss.com` +
  ` | built from its SCSS by assets/ (sass + purgecss) */\n`;
fs.writeFileSync(path.join(__dirname, "../static/vendor/pico/pico.min.css"), header + css);
console.log(`static/vendor/pico/pico.min.css: ${(header + css).length} bytes`);
