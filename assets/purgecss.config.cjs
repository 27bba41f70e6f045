// Which selectors of the Pico build survive: those the site's markup can produce.
module.exports = {
  content: [
    "../templates/**/*.html",
    "../static/js/*.js",
    "../static/css/site.css", // its var(--pico-…) uses keep those variables
    "purge-safelist.html",
  ],
  css: ["build/pico.full.css"],
  // htmx adds these classes while it swaps; the light scheme is forced on <html>.
  safelist: { standard: [/^htmx-/] },
  variables: true,
  keyframes: true,
};
