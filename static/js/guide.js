/* Guide page tools: read aloud with the browser's own speech synthesis, and print.
   Buttons are hidden in the HTML and shown here, so without JavaScript nothing dead shows. */
(function () {
  "use strict";
  var page = document.documentElement;
  // Bro prefixes whose speech voices go by another code.
  var VOICE_LANG = { prs: "fa", kmr: "ku", ckb: "ckb", da: "da", en: "en" };

  var printButton = document.querySelector("[data-print]");
  if (printButton && window.print) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) return;
  var wanted = (VOICE_LANG[page.lang] || page.lang).toLowerCase();
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-read-aloud]"));
  var noVoice = document.querySelector("[data-no-voice]");
  var active = null;

  function voiceFor() {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      var code = voices[i].lang.toLowerCase().replace("_", "-");
      if (code === wanted || code.indexOf(wanted + "-") === 0) return voices[i];
    }
    return null;
  }

  function reset() {
    if (!active) return;
    active.querySelector(".label").textContent = active.dataset.label;
    active.setAttribute("aria-pressed", "false");
    active = null;
  }

  function speak(button) {
    var voice = voiceFor();
    if (!voice) {
      if (noVoice) { noVoice.hidden = false; noVoice.focus && noVoice.setAttribute("tabindex", "-1"); noVoice.focus(); }
      return;
    }
    var target = document.getElementById(button.dataset.readAloud);
    if (!target) return;
    var clone = target.cloneNode(true);
    Array.prototype.forEach.call(clone.querySelectorAll("button, [hidden], .toc"), function (el) { el.remove(); });
    var utterance = new SpeechSynthesisUtterance(clone.textContent.replace(/\s+/g, " ").trim());
    utterance.lang = voice.lang;
    try { utterance.voice = voice; } catch (e) { /* the language alone still picks a voice */ }
    utterance.onend = reset;
    utterance.onerror = reset;
    active = button;
    button.querySelector(".label").textContent = button.dataset.stopLabel;
    button.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  }

  buttons.forEach(function (button) {
    button.dataset.label = button.querySelector(".label").textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      var wasActive = active === button;
      synth.cancel();
      reset();
      if (!wasActive) speak(button);
    });
  });
  // Voices load late on some browsers; nothing to do until the first click asks for them.
  if (synth.onvoiceschanged !== undefined) synth.onvoiceschanged = function () {};
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
