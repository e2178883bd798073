/* Passkeys (WebAuthn) for Bro: save one on this phone, or sign in with one.
   Each [data-passkey] block is hidden in the HTML and shown only where the browser can do it;
   the password form keeps working everywhere. The server gives the options as JSON and checks
   the answer; this file only converts between JSON (base64url) and the browser's ArrayBuffers. */
"use strict";
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }
  function toText(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  async function post(block, url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": block.querySelector("input[name=csrf_token]").value,
      },
      body: JSON.stringify(body || {}),
    });
    let data = {};
    try { data = await response.json(); } catch (error) { /* an HTML error page */ }
    if (!response.ok) throw new Error(data.error || "");
    return data;
  }

  // The credential as the JSON the server reads (WebAuthn's own toJSON is not everywhere yet).
  function asJSON(credential, response) {
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: response,
    };
  }

  async function register(block) {
    const options = await post(block, block.dataset.options);
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    const credential = await navigator.credentials.create({ publicKey: options });
    return post(block, block.dataset.send, asJSON(credential, {
      clientDataJSON: toText(credential.response.clientDataJSON),
      attestationObject: toText(credential.response.attestationObject),
      transports: credential.response.getTransports ? credential.response.getTransports() : [],
    }));
  }

  async function signIn(block) {
    const options = await post(block, block.dataset.options);
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    const credential = await navigator.credentials.get({ publicKey: options });
    const answer = credential.response;
    return post(block, block.dataset.send, asJSON(credential, {
      clientDataJSON: toText(answer.clientDataJSON),
      authenticatorData: toText(answer.authenticatorData),
      signature: toText(answer.signature),
      userHandle: answer.userHandle ? toText(answer.userHandle) : null,
    }));
  }

  document.querySelectorAll("[data-passkey]").forEach((block) => {
    const button = block.querySelector("button");
    const message = block.querySelector("[data-passkey-message]");
    const unsupported = document.querySelector("[data-passkey-unsupported]");
    if (unsupported) unsupported.hidden = true;
    block.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      message.textContent = "";
      try {
        const done = await (block.dataset.passkey === "register" ? register(block) : signIn(block));
        window.location.assign(done.redirect);
      } catch (error) {
        // The person closed the phone's prompt, or the server said no: say so, in their language.
        message.textContent = (error && error.message && error.name === "Error")
          ? error.message : block.dataset.failed;
        button.disabled = false;
      }
    });
  });
})();
