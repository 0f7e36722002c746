// Setu's only script besides htmx. The Content-Security-Policy forbids inline handlers, so
// behaviour that used to sit in onchange="…" attributes lives here.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});
