/* Upload progress for forms marked data-upload-progress: sends the form with XMLHttpRequest, shows the
   percentage sent in the form's <progress>, then opens the page the server names ({"location": url}).
   Without this script the plain form posts and redirects as usual. Messages come from data- attributes,
   already in the reader's language. */
(function () {
  "use strict";

  function setup(form) {
    var progress = form.querySelector("progress");
    var status = form.querySelector(".upload-status span");
    var button = form.querySelector("button[type=submit]");
    var input = form.querySelector("input[type=file]");

    function say(text) { if (status) { status.textContent = text; } }
    function done(text) {
      if (progress) { progress.hidden = true; }
      if (button) { button.disabled = false; }
      say(text);
    }

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      var file = input && input.files && input.files[0];
      var max = parseInt(form.getAttribute("data-max-bytes"), 10);
      if (file && max && file.size > max) {
        event.preventDefault();
        done(form.getAttribute("data-too-large"));
        return;
      }
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable || !progress) { return; }
        var percent = Math.round((e.loaded / e.total) * 100);
        progress.value = percent;
        progress.textContent = percent + "%";
        say(percent < 100 ? form.getAttribute("data-sending") + " " + percent + "%" : form.getAttribute("data-checking"));
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (ignore) { answer = null; }
        if (xhr.status === 200 && answer && typeof answer.location === "string" && answer.location.charAt(0) === "/") {
          window.location.assign(answer.location);
        } else if (xhr.status === 413) {
          done(form.getAttribute("data-too-large"));
        } else if (xhr.status === 200 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);  /* redirected: an expired form or session, the sign-in page */
        } else if (xhr.status === 400 || xhr.status === 403) {
          window.location.reload();
        } else {
          done(form.getAttribute("data-failed"));
        }
      });
      xhr.addEventListener("error", function () { done(form.getAttribute("data-failed")); });
      if (progress) { progress.hidden = false; progress.value = 0; }
      if (button) { button.disabled = true; }
      say(form.getAttribute("data-sending"));
      xhr.send(new FormData(form));
    });
  }

  var forms = document.querySelectorAll("form[data-upload-progress]");
  for (var i = 0; i < forms.length; i += 1) { setup(forms[i]); }
}());
