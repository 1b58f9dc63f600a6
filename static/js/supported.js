// Marks the page as one with JavaScript and, where the browser runs ES modules, as one the
// NHS.UK frontend supports: its styles and components look for these two classes. Loaded
// as the first thing in <body>, before anything is drawn (it replaces the NHS.UK page
// template's inline script, which the Content-Security-Policy refuses).
(function () {
  "use strict";
  document.body.classList.add("js-enabled");
  if ("noModule" in HTMLScriptElement.prototype) {
    document.body.classList.add("nhsuk-frontend-supported");
  }
})();
