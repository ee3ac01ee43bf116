extension IceTestPage {
    /// The page's script: credentials (a JWT exchanged at the gateway, or a REST credential
    /// minted in the browser), candidate gathering, and the two-peer relay test.
    ///
    /// The body of the strict-mode function the template wraps around it and ``pairScript``,
    /// which comes after it and uses its helpers and `parameters`.
    static let script = #"""
  const RELAY_TIMEOUT_MS = 12000;
  const GATHER_TIMEOUT_MS = 20000;
  const $ = id => document.getElementById(id);
  const state = {credential: null, gatherPC: null, relayRunning: false};

  // --- helpers: every text goes in with textContent, never as HTML ---------------------

  function setText(id, text) { $(id).textContent = text == null ? "" : String(text); }

  function status(id, text, isError) {
    const el = $(id);
    el.textContent = text;
    el.classList.toggle("error", Boolean(isError));
  }

  function addRow(tbody, cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement("td");
      td.textContent = cell == null ? "" : String(cell);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }

  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

  function message(error) { return error && error.message ? error.message : String(error); }

  // --- parameters: query or fragment (the fragment never reaches the server) ------------

  function readParameters() {
    const query = new URLSearchParams(location.search);
    const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
    const source = key => (fragment.has(key) ? fragment : query);
    const get = key => source(key).get(key);
    const parameters = {
      autorun: get("autorun") === "1",
      jwt: get("jwt"), secret: get("secret"), user: get("user"), ttl: get("ttl"),
      uris: source("uri").getAll("uri"),
      mode: get("mode"), room: get("room"), video: get("video"),
    };
    if (parameters.jwt !== null || parameters.secret !== null) {
      // Keep credentials out of the address bar and the history.
      try { history.replaceState(null, "", location.pathname); } catch (e) {}
    }
    return parameters;
  }

  // --- credentials ----------------------------------------------------------------------

  function mode() { return $("mode-secret").checked ? "secret" : "jwt"; }

  function showMode() {
    $("jwt-fields").hidden = mode() !== "jwt";
    $("secret-fields").hidden = mode() !== "secret";
  }

  function uris() {
    return $("uris").value.split(/\r?\n/).map(line => line.trim()).filter(line => line.length > 0);
  }

  function showCredential(credential) {
    state.credential = credential;
    $("credential-info").hidden = false;
    setText("credential-username", credential.username);
    setText("credential-password", `(hidden, ${credential.credential.length} characters)`);
    setText("credential-ttl", `${credential.ttl} s`);
    setText("credential-expires", credential.expiresAt);
    setText("credential-source", credential.source);
    // The response's URIs fill the list unless URIs were typed or given.
    if (credential.uris.length > 0 && uris().length === 0) $("uris").value = credential.uris.join("\n");
  }

  async function fetchCredential(jwt) {
    const token = jwt.trim();
    if (!token) throw new Error("paste a JWT first");
    let response;
    try {
      response = await fetch("/v1/turn/credentials", {
        method: "POST", headers: {"Authorization": "Bearer " + token},
        cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer",
      });
    } catch (e) {
      throw new Error(`credential request failed: ${message(e)}`);
    }
    let body = null;
    try { body = await response.json(); } catch (e) {}
    if (!response.ok) {
      const code = body && typeof body.error === "string" ? ` ${body.error}` : "";
      const text = body && typeof body.message === "string" ? ` (${body.message})` : "";
      throw new Error(`credential request failed: HTTP ${response.status}${code}${text}`);
    }
    const password = body && (typeof body.credential === "string" ? body.credential : body.password);
    if (!body || typeof body.username !== "string" || typeof password !== "string") {
      throw new Error("credential response without username and credential");
    }
    return {
      username: body.username, credential: password, ttl: Number(body.ttl),
      expiresAt: typeof body.expiresAt === "string" ? body.expiresAt : "",
      uris: Array.isArray(body.uris) ? body.uris.filter(u => typeof u === "string") : [],
      source: "POST /v1/turn/credentials",
    };
  }

  async function mintCredential(secret, user, ttlText, separator) {
    if (!secret) throw new Error("paste the static-auth-secret first");
    if (!user) throw new Error("give a user name");
    const ttl = Math.floor(Number(ttlText || 3600));
    if (!(ttl >= 1 && ttl <= 604800)) throw new Error("the TTL must be 1 to 604800 seconds");
    const expiry = Math.floor(Date.now() / 1000) + ttl;
    const username = `${expiry}${separator || ":"}${user}`;
    const credential = base64(await hmacSHA1(new TextEncoder().encode(secret), new TextEncoder().encode(username)));
    return {
      username, credential, ttl, expiresAt: new Date(expiry * 1000).toISOString(), uris: [],
      source: "minted in this browser from the static-auth-secret",
    };
  }

  async function credentialFromForm() {
    if (mode() === "secret") {
      return mintCredential($("secret").value, $("user").value.trim(), $("ttl").value, $("separator").value);
    }
    return fetchCredential($("jwt").value);
  }

  async function obtainCredential() {
    status("credential-status", "getting a credential...");
    try {
      const credential = await credentialFromForm();
      showCredential(credential);
      status("credential-status", "credential ready");
      return credential;
    } catch (e) {
      state.credential = null;
      $("credential-info").hidden = true;
      status("credential-status", message(e), true);
      throw e;
    }
  }

  function iceServers() {
    const list = uris();
    if (list.length === 0) throw new Error("no TURN URI: type one, or get a credential whose response lists some");
    const credential = state.credential;
    if (!credential) throw new Error("no credential");
    return [{urls: list, username: credential.username, credential: credential.credential}];
  }

  // --- HMAC-SHA1: WebCrypto, or this fallback where crypto.subtle is missing (plain HTTP) --

  async function hmacSHA1(key, data) {
    if (globalThis.crypto && crypto.subtle) {
      const cryptoKey = await crypto.subtle.importKey("raw", key, {name: "HMAC", hash: "SHA-1"}, false, ["sign"]);
      return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
    }
    return hmacSHA1Fallback(key, data);
  }

  function sha1(bytes) {
    const length = bytes.length;
    const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[length] = 0x80;
    const view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length * 8) >>> 0);
    const h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0];
    const w = new Uint32Array(80);
    for (let offset = 0; offset < padded.length; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
      for (let i = 16; i < 80; i++) {
        const x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
        w[i] = (x << 1) | (x >>> 31);
      }
      let [a, b, c, d, e] = h;
      for (let i = 0; i < 80; i++) {
        let f, k;
        if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
        else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
        else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
        else { f = b ^ c ^ d; k = 0xCA62C1D6; }
        const t = (((a << 5) | (a >>> 27)) + f + e + k + w[i]) >>> 0;
        e = d; d = c; c = ((b << 30) | (b >>> 2)) >>> 0; b = a; a = t;
      }
      h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0;
      h[3] = (h[3] + d) >>> 0; h[4] = (h[4] + e) >>> 0;
    }
    const out = new Uint8Array(20);
    const outView = new DataView(out.buffer);
    h.forEach((value, i) => outView.setUint32(i * 4, value));
    return out;
  }

  function hmacSHA1Fallback(key, data) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? sha1(key) : key);
    const inner = new Uint8Array(64 + data.length);
    const outer = new Uint8Array(64 + 20);
    for (let i = 0; i < 64; i++) { inner[i] = block[i] ^ 0x36; outer[i] = block[i] ^ 0x5c; }
    inner.set(data, 64);
    outer.set(sha1(inner), 64);
    return sha1(outer);
  }

  function base64(bytes) {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  // --- candidates -----------------------------------------------------------------------

  const CANDIDATE = /^candidate:(\S+) (\d+) (\S+) (\d+) (\S+) (\d+) typ (\S+)/;

  function describeCandidate(candidate) {
    const m = CANDIDATE.exec(candidate.candidate || "") || [];
    const component = candidate.component || (m[2] === "1" ? "rtp" : m[2] === "2" ? "rtcp" : m[2]);
    const priority = candidate.priority != null ? candidate.priority : (m[4] != null ? Number(m[4]) : null);
    return {
      foundation: candidate.foundation || m[1] || "",
      component: component || "",
      protocol: candidate.protocol || (m[3] || "").toLowerCase(),
      priority,
      address: candidate.address || m[5] || "",
      port: candidate.port != null ? candidate.port : (m[6] != null ? Number(m[6]) : ""),
      type: candidate.type || m[7] || "",
      relayProtocol: candidate.relayProtocol || "",
      url: candidate.url || "",
      candidate: candidate.candidate || "",
    };
  }

  function formatPriority(priority) {
    if (priority == null || !Number.isFinite(Number(priority))) return "";
    const p = Number(priority) >>> 0;
    return `${p >>> 24} | ${(p >>> 8) & 0xFFFF} | ${p & 0xFF}`;
  }

  function seconds(ms) { return (ms / 1000).toFixed(3); }

  async function gather() {
    if (state.gatherPC) { try { state.gatherPC.close(); } catch (e) {} state.gatherPC = null; }
    const candidates = $("candidates").tBodies[0];
    const errors = $("candidate-errors").tBodies[0];
    clear(candidates);
    clear(errors);
    let pc;
    try {
      if (!state.credential) await obtainCredential();
      pc = new RTCPeerConnection({iceServers: iceServers(), iceTransportPolicy: $("relay-only").checked ? "relay" : "all"});
    } catch (e) {
      status("gather-status", message(e), true);
      return;
    }
    state.gatherPC = pc;
    const started = performance.now();
    let done = false;
    let count = 0;
    const finish = why => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const errorCount = errors.rows.length;
      status("gather-status",
             `${why} after ${seconds(performance.now() - started)} s: ${count} candidate(s), ${errorCount} error(s)`,
             count === 0);
      try { pc.close(); } catch (e) {}
      if (state.gatherPC === pc) state.gatherPC = null;
    };
    const timer = setTimeout(() => finish("stopped: no end of gathering"), GATHER_TIMEOUT_MS);
    pc.onicecandidate = event => {
      if (!event.candidate) { finish("gathering complete"); return; }
      if (!event.candidate.candidate) return;
      const c = describeCandidate(event.candidate);
      count += 1;
      addRow(candidates, [seconds(performance.now() - started), c.component, c.type, c.foundation, c.protocol, c.address,
                          c.port, formatPriority(c.priority), c.relayProtocol, c.url]);
    };
    pc.onicecandidateerror = event => {
      addRow(errors, [seconds(performance.now() - started), event.errorCode, event.errorText, event.url]);
    };
    pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === "complete") finish("gathering complete"); };
    status("gather-status", "gathering...");
    try {
      pc.createDataChannel("turngate-gather");
      await pc.setLocalDescription(await pc.createOffer());
    } catch (e) {
      finish(`failed: ${message(e)}`);
    }
  }

  // --- relay test -----------------------------------------------------------------------

  function relayLog(line) {
    $("relay-log").textContent += `${line}\n`;
  }

  function report(result, reason, candidates) {
    const verdict = $("verdict");
    verdict.textContent = result === "pass" ? "PASS" : "FAIL";
    verdict.className = result;
    setText("verdict-reason", reason);
    document.body.dataset.state = "done";
    document.body.dataset.result = result;
    relayLog(`${result.toUpperCase()}: ${reason}`);
    if (window.parent !== window) {
      // No secret, password or user name: only the outcome and the candidates gathered.
      window.parent.postMessage({turngateIceTest: {result, reason, candidates}}, "*");
    }
  }

  function start() {
    const verdict = $("verdict");
    verdict.textContent = "running...";
    verdict.className = "running";
    setText("verdict-reason", "");
    $("relay-log").textContent = "";
    delete document.body.dataset.result;
    document.body.dataset.state = "running";
  }

  function relayTest() {
    return new Promise(resolve => {
      let servers;
      try {
        servers = iceServers();
      } catch (e) {
        resolve({result: "fail", reason: message(e), candidates: []});
        return;
      }
      const began = performance.now();
      const config = {iceServers: servers, iceTransportPolicy: "relay"};
      const peers = {};
      const gathered = [];
      const candidateErrors = [];
      const token = Math.random().toString(36).slice(2, 10);
      const MESSAGES = [`ping-1-${token}`, `ping-2-${token}`, `ping-3-${token}-` + "x".repeat(3000)];
      let finished = false;
      let echoes = 0;
      const elapsed = () => `${Math.round(performance.now() - began)} ms`;
      const finish = (ok, reason) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        for (const pc of Object.values(peers)) { try { pc.close(); } catch (e) {} }
        resolve({result: ok ? "pass" : "fail", reason, candidates: gathered});
      };
      const firstError = () => {
        const e = candidateErrors[0];
        return e ? ` (icecandidateerror ${e.errorCode} ${e.errorText} at ${e.url})` : "";
      };
      const timer = setTimeout(() => {
        const opened = echoes > 0 ? `, ${echoes} of ${MESSAGES.length} echoes back` : "";
        const why = gathered.length === 0 ? `no relay candidate${firstError()}` : `ICE ${peers.a && peers.a.iceConnectionState}${opened}`;
        finish(false, `timed out after ${RELAY_TIMEOUT_MS / 1000} s: ${why}`);
      }, RELAY_TIMEOUT_MS);
      try {
        peers.a = new RTCPeerConnection(config);
        peers.b = new RTCPeerConnection(config);
      } catch (e) {
        finish(false, `cannot create a peer connection: ${message(e)}`);
        return;
      }
      const other = {a: peers.b, b: peers.a};
      const checkGathering = () => {
        for (const [name, pc] of Object.entries(peers)) {
          if (pc.iceGatheringState === "complete" && !gathered.some(c => c.peer === name)) {
            finish(false, `peer ${name} gathered no relay candidate${firstError()}`);
            return;
          }
        }
      };
      for (const [name, pc] of Object.entries(peers)) {
        pc.onicecandidate = event => {
          if (event.candidate && event.candidate.candidate) {
            const c = describeCandidate(event.candidate);
            gathered.push({peer: name, type: c.type, protocol: c.protocol, address: c.address, port: c.port,
                           relayProtocol: c.relayProtocol, url: c.url, candidate: c.candidate});
            relayLog(`${elapsed()} ${name} candidate ${c.type} ${c.protocol} ${c.address}:${c.port} ${c.relayProtocol}`);
            other[name].addIceCandidate(event.candidate).catch(e => relayLog(`${name} addIceCandidate: ${message(e)}`));
          }
          if (!event.candidate) checkGathering();
        };
        pc.onicegatheringstatechange = checkGathering;
        pc.onicecandidateerror = event => {
          candidateErrors.push({errorCode: event.errorCode, errorText: event.errorText, url: event.url});
          relayLog(`${elapsed()} ${name} icecandidateerror ${event.errorCode} ${event.errorText} ${event.url}`);
        };
        pc.oniceconnectionstatechange = () => {
          relayLog(`${elapsed()} ${name} ICE ${pc.iceConnectionState}`);
          if (pc.iceConnectionState === "failed") finish(false, `peer ${name}: ICE failed${firstError()}`);
        };
      }
      const channel = peers.a.createDataChannel("turngate-ice-test");
      peers.b.ondatachannel = event => {
        event.channel.onmessage = m => event.channel.send(`echo:${m.data}`);
      };
      channel.onopen = () => {
        relayLog(`${elapsed()} data channel open`);
        for (const m of MESSAGES) channel.send(m);
      };
      channel.onmessage = m => {
        const expected = `echo:${MESSAGES[echoes]}`;
        echoes += 1;
        if (String(m.data) !== expected) { finish(false, `echo ${echoes} differs from the message sent`); return; }
        if (echoes === MESSAGES.length) {
          const relays = gathered.map(c => `${c.address}:${c.port}/${c.relayProtocol || c.protocol}`);
          finish(true, `${MESSAGES.length} messages round-tripped through the relay in ${elapsed()} (relayed candidates: ${relays.join(", ")})`);
        }
      };
      (async () => {
        await peers.a.setLocalDescription(await peers.a.createOffer());
        await peers.b.setRemoteDescription(peers.a.localDescription);
        await peers.b.setLocalDescription(await peers.b.createAnswer());
        await peers.a.setRemoteDescription(peers.b.localDescription);
      })().catch(e => finish(false, `negotiation failed: ${message(e)}`));
    });
  }

  async function runRelayTest() {
    if (state.relayRunning) return;
    state.relayRunning = true;
    $("relay-test").disabled = true;
    start();
    try {
      if (!state.credential) {
        try {
          await obtainCredential();
        } catch (e) {
          report("fail", message(e), []);
          return;
        }
      }
      const outcome = await relayTest();
      report(outcome.result, outcome.reason, outcome.candidates);
    } finally {
      state.relayRunning = false;
      $("relay-test").disabled = false;
    }
  }

  // --- wiring ---------------------------------------------------------------------------

  $("mode-jwt").addEventListener("change", showMode);
  $("mode-secret").addEventListener("change", showMode);
  for (const id of ["jwt", "secret", "user", "ttl", "separator"]) {
    $(id).addEventListener("input", () => { state.credential = null; });
  }
  $("fetch-credentials").addEventListener("click", () => { obtainCredential().catch(() => {}); });
  $("mint-credentials").addEventListener("click", () => { obtainCredential().catch(() => {}); });
  $("gather").addEventListener("click", () => { gather(); });
  $("relay-test").addEventListener("click", () => { runRelayTest(); });

  const parameters = readParameters();
  if (parameters.secret !== null) {
    $("mode-secret").checked = true;
    $("secret").value = parameters.secret;
    if (parameters.user !== null) $("user").value = parameters.user;
    if (parameters.ttl !== null) $("ttl").value = parameters.ttl;
  } else if (parameters.jwt !== null) {
    $("mode-jwt").checked = true;
    $("jwt").value = parameters.jwt;
  }
  if (parameters.uris.length > 0) $("uris").value = parameters.uris.join("\n");
  showMode();
  document.body.dataset.state = "idle";
  if (parameters.autorun) runRelayTest();
"""#
}
