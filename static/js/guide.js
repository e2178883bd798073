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

  // "What to bring" as a private checklist: the ticks live in this phone's storage and are never
  // sent anywhere. They are kept per guide, by item number, so they survive a change of language.
  var checklist = document.querySelector("[data-device-checklist]");
  var store = null;
  try { store = window.localStorage; store.getItem("bro"); } catch (e) { store = null; }
  if (checklist && store) {
    var source = checklist.parentNode.querySelector("ul:not(.checklist)");
    var key = "bro-checklist:" + checklist.getAttribute("data-device-checklist");
    var list = checklist.querySelector("ul");
    var count = checklist.querySelector("[data-checklist-count]");
    var items = source ? Array.prototype.slice.call(source.children) : [];
    var ticked = function () {
      try { return JSON.parse(store.getItem(key) || "[]"); } catch (e) { return []; }
    };
    var render = function () {
      var done = ticked();
      Array.prototype.forEach.call(list.querySelectorAll("button"), function (button) {
        var on = done.indexOf(button.getAttribute("data-item")) !== -1;
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.classList.toggle("done", on);
        button.querySelector(".box").textContent = on ? "\u2713" : "";
      });
      count.textContent = checklist.getAttribute("data-count")
        .replace("{done}", String(done.length)).replace("{total}", String(items.length));
    };
    items.forEach(function (item, index) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tick";
      button.setAttribute("data-item", String(index + 1));
      var box = document.createElement("span");
      box.className = "box";
      box.setAttribute("aria-hidden", "true");
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = item.textContent;
      button.appendChild(box);
      button.appendChild(text);
      button.addEventListener("click", function () {
        var done = ticked();
        var number = button.getAttribute("data-item");
        var at = done.indexOf(number);
        if (at === -1) done.push(number); else done.splice(at, 1);
        try { store.setItem(key, JSON.stringify(done)); } catch (e) { /* storage full: no tick */ }
        render();
      });
      li.appendChild(button);
      list.appendChild(li);
    });
    if (items.length) {
      source.className += " replaced";  // the same items, now as buttons (read aloud still reads them)
      checklist.hidden = false;
      checklist.querySelector("[data-checklist-clear]").addEventListener("click", function () {
        store.removeItem(key);
        render();
      });
      render();
    }
  }

  var synth = window.speechSynthesis;
  if (!synth || !window.SpeechSynthesisUtterance) return;
  var wanted = (VOICE_LANG[page.lang] || page.lang).toLowerCase();
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-read-aloud]"));
  var noVoice = document.querySelector("[data-no-voice]");
  var active = null;

  function voiceFor(lang) {
    var want = lang || wanted;
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      var code = voices[i].lang.toLowerCase().replace("_", "-");
      if (code === want || code.indexOf(want + "-") === 0) return voices[i];
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
      if (noVoice) {
        // Offer reading side by side with a language this phone can read aloud, if any.
        Array.prototype.forEach.call(noVoice.querySelectorAll("[data-voice-lang]"), function (link) {
          link.hidden = !voiceFor(link.dataset.voiceLang);
        });
        noVoice.hidden = false;
        noVoice.setAttribute("tabindex", "-1");
        noVoice.focus();
      }
      return;
    }
    var target = document.getElementById(button.dataset.readAloud);
    if (!target) return;
    var clone = target.cloneNode(true);
    // Read the guide itself, from its title: not the way back, the search box, the tools or
    // the notices. Each section starts with its heading, so the listener hears where they are.
    Array.prototype.forEach.call(clone.querySelectorAll("button, [hidden], .toc, [data-device-checklist], .breadcrumb, .search-box, .guide-tools, .notice, .status"), function (el) { el.remove(); });
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
