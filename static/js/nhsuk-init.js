// Starts the NHS.UK frontend components (header menu, tables, character counts, ...).
// The frontend's own file has a hashed name, so the page names it on this script's element.
const script = document.querySelector("script[data-nhsuk-frontend]");
import(script.dataset.nhsukFrontend).then(function (frontend) {
  frontend.initAll();
});
