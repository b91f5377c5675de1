// forcebook charts: each [data-forcebook-chart] is drawn live by Vega-Embed (bundled in vega.js, loaded
// before this script, both deferred: no other host is asked for anything) from the JSON spec in the script
// element it names. Until then, and wherever this does not run, the static chart beside it stays in view.
for (const el of document.querySelectorAll("[data-forcebook-chart]")) {
  const spec = JSON.parse(document.getElementById(el.dataset.forcebookChart).textContent);
  const options = {
    renderer: "svg",
    actions: { export: true, source: false, compiled: false, editor: false },
    i18n: { SVG_ACTION: "Save as SVG", PNG_ACTION: "Save as PNG" },
  };
  window.vegaEmbed(el, spec, options).then(() => {
    // The menu's summary is an icon: give it words (axe: summary-name).
    const menu = el.querySelector("details > summary");
    if (menu) menu.setAttribute("aria-label", "Save this chart as an image");
    const figure = el.closest("figure") || el.closest(".output");
    if (figure) figure.classList.add("chart-live");
  }).catch(() => { el.remove(); });
}
