extension IceTestPage {
    /// The two-party test's script: this page and the same page in another tab (or on another
    /// machine) join one room through `/v1/signal` on the page's own origin (docs/signaling.md),
    /// with the JWT of the credentials section; the peer already in the room when the other
    /// joins (the one told `peer-joined`) makes the offer. One `RTCPeerConnection` with the
    /// `iceServers` of `authenticated` and `iceTransportPolicy: "relay"` carries a data channel,
    /// on which each side sends a hello and acknowledges the other's, and a video transceiver,
    /// which sends the camera where `getUserMedia` finds one. PASS once this side has the other's
    /// hello and the acknowledgement of its own and, if the other side sends video, has decoded
    /// frames of it; FAIL with the reason (a signaling error code, no relay candidate, ICE
    /// failed, the other side leaving, a timeout and what was missing).
    ///
    /// Runs after ``script`` and ``pairMediaScript``, in the same function scope: it uses their
    /// helpers and `parameters`.
    static let pairScript = #"""

  // --- two-party test: two pages in one room meet through /v1/signal ---------------------

  const PAIR_WAIT_MS = 120000;     // for the other page to join the room
  const PAIR_CONNECT_MS = 20000;   // from meeting the other page to PASS
  const pair = {running: false, stop: null};

  function pairLog(line) {
    $("pair-log").textContent += `${line}\n`;
  }

  function pairStarted() {
    const verdict = $("pair-verdict");
    verdict.textContent = "running...";
    verdict.className = "running";
    setText("pair-reason", "");
    $("pair-log").textContent = "";
    $("pair-info").hidden = true;
    for (const id of ["pair-peer", "pair-role", "pair-remote"]) setText(id, "");
    const video = $("pair-remote-video");
    video.hidden = true;
    video.srcObject = null;
    delete document.body.dataset.pairResult;
    document.body.dataset.pairState = "running";
  }

  function pairReport(result, reason, details) {
    const verdict = $("pair-verdict");
    verdict.textContent = result === "pass" ? "PASS" : "FAIL";
    verdict.className = result;
    setText("pair-reason", reason);
    document.body.dataset.pairState = "done";
    document.body.dataset.pairResult = result;
    pairLog(`${result.toUpperCase()}: ${reason}`);
    if (window.parent !== window) {
      // No token and no TURN credential: the outcome, the peers, the candidates and the log.
      window.parent.postMessage({turngateIceTestPair: Object.assign({result, reason, log: $("pair-log").textContent}, details)}, "*");
    }
  }

  function signalingURL() {
    return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/v1/signal`;
  }

  function pairTest(room, token, wantVideo) {
    return new Promise(resolve => {
      const began = performance.now();
      const elapsed = () => `${Math.round(performance.now() - began)} ms`;
      const nonce = Math.random().toString(36).slice(2, 10);
      const candidates = [];
      const candidateErrors = [];
      const pending = [];
      let queue = Promise.resolve();
      let authenticated;
      const whenAuthenticated = new Promise(done => { authenticated = done; });
      let ws = null, pc = null, channel = null, camera = {stream: null, note: ""};
      let peerId = null, remote = null, role = null, iceServers = null, lastError = null;
      let helloSent = false, gotHello = false, gotAck = false;
      let sendsVideo = false, expectsVideo = false, selected = null;
      let video = {framesDecoded: 0, width: 0, height: 0};
      let finished = false, waitTimer = null, connectTimer = null, statsTimer = null;

      const firstError = () => {
        const e = candidateErrors[0];
        return e ? ` (icecandidateerror ${e.errorCode} ${e.errorText} at ${e.url})` : "";
      };
      const stop = () => {
        if (ws) {
          ws.onclose = null;
          try { ws.close(1000); } catch (e) {}
        }
        if (pc) { try { pc.close(); } catch (e) {} }
        if (camera.stream) for (const track of camera.stream.getTracks()) track.stop();
      };
      const finish = (ok, reason) => {
        if (finished) return;
        finished = true;
        clearTimeout(waitTimer);
        clearTimeout(connectTimer);
        clearInterval(statsTimer);
        // After PASS the connections stay up: the other page may still wait for this one's
        // acknowledgement or video. They end with the next run or the page.
        if (ok) pair.stop = stop; else stop();
        const videoDetails = {sent: sendsVideo, expected: expectsVideo, framesDecoded: video.framesDecoded, width: video.width,
                              height: video.height, camera: camera.note};
        resolve({result: ok ? "pass" : "fail", reason, details: {
          room, role, peerId, remotePeerId: remote, candidates, candidateErrors, selected, video: videoDetails,
          elapsedMs: Math.round(performance.now() - began),
        }});
      };
      const send = body => {
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(body));
      };
      const signal = data => send({type: "signal", to: remote, data});
      const serially = step => {
        queue = queue.then(step).catch(e => finish(false, `negotiation failed: ${message(e)}`));
      };

      const missing = () => {
        if (!pc) return "no peer connection";
        const ice = `ICE ${pc.iceConnectionState}, connection ${pc.connectionState}`;
        if (!channel || channel.readyState !== "open") return `${ice}; the data channel never opened`;
        if (!gotHello) return `${ice}; no message from the other page`;
        if (!gotAck) return `${ice}; the other page did not acknowledge this page's message`;
        if (expectsVideo && video.framesDecoded === 0) return `${ice}; no video frame decoded from the other page's camera`;
        return ice;
      };
      const met = other => {
        remote = other;
        clearTimeout(waitTimer);
        const timedOut = () => finish(false, `timed out ${PAIR_CONNECT_MS / 1000} s after meeting ${remote}: ${missing()}${firstError()}`);
        connectTimer = setTimeout(timedOut, PAIR_CONNECT_MS);
        setText("pair-role", role === "offerer" ? "offerer (in the room first)" : "answerer (joined second)");
        setText("pair-remote", remote);
      };

      const check = async () => {
        if (finished || !pc) return;
        let report;
        try { report = await pc.getStats(); } catch (e) { return; }
        if (finished) return;
        const found = inspectStats(report);
        selected = found.selected;
        video = found.video;
        if (!gotHello || !gotAck || (expectsVideo && video.framesDecoded === 0)) return;
        let path = "";
        if (selected && selected.local && selected.remote) {
          const {local, remote: far} = selected;
          path = `; selected pair ${local.candidateType} ${local.address}:${local.port}/${local.relayProtocol || local.protocol}`
            + ` to ${far.candidateType} ${far.address}:${far.port}`;
        }
        const received = expectsVideo ? `video received (${video.width}x${video.height}, frames decoded: ${video.framesDecoded})`
                                      : "no video from the other page (no camera there)";
        const sent = sendsVideo ? "video sent" : `no video sent (${camera.note})`;
        finish(true, `data-channel messages both ways with ${remote} through the relay in ${elapsed()}; ${received}; ${sent}${path}`);
      };

      const wireChannel = dc => {
        channel = dc;
        const hello = () => {
          if (helloSent) return;
          helloSent = true;
          pairLog(`${elapsed()} data channel open; sending a hello`);
          dc.send(JSON.stringify({kind: "hello", from: peerId, nonce}));
        };
        dc.onopen = hello;
        dc.onmessage = event => {
          let m = null;
          try { m = JSON.parse(event.data); } catch (e) {}
          if (m && m.kind === "hello") {
            if (m.from !== remote) { finish(false, `a data-channel hello from ${m.from}, not from ${remote}`); return; }
            gotHello = true;
            dc.send(JSON.stringify({kind: "ack", nonce: m.nonce}));
            pairLog(`${elapsed()} hello from ${m.from}; acknowledged`);
          } else if (m && m.kind === "ack" && m.nonce === nonce) {
            gotAck = true;
            pairLog(`${elapsed()} the other page acknowledged this page's hello`);
          } else {
            pairLog(`${elapsed()} an unexpected data-channel message`);
          }
          check();
        };
        dc.onclose = () => { if (!finished) finish(false, `the data channel closed: ${missing()}`); };
        if (dc.readyState === "open") hello();
      };

      const createPeerConnection = () => {
        pc = new RTCPeerConnection({iceServers, iceTransportPolicy: "relay"});
        pc.onicecandidate = event => {
          if (event.candidate && event.candidate.candidate) {
            const c = describeCandidate(event.candidate);
            candidates.push({type: c.type, protocol: c.protocol, address: c.address, port: c.port, relayProtocol: c.relayProtocol,
                             url: c.url, candidate: c.candidate});
            const via = c.relayProtocol ? ` via ${c.relayProtocol}` : "";
            pairLog(`${elapsed()} candidate ${c.type} ${c.protocol} ${c.address}:${c.port}${via}`);
            signal({candidate: event.candidate.toJSON()});
          } else if (!event.candidate && candidates.length === 0) {
            finish(false, `no relay candidate gathered${firstError()}`);
          }
        };
        pc.onicecandidateerror = event => {
          candidateErrors.push({errorCode: event.errorCode, errorText: event.errorText, url: event.url});
          pairLog(`${elapsed()} icecandidateerror ${event.errorCode} ${event.errorText} ${event.url}`);
        };
        pc.oniceconnectionstatechange = () => {
          pairLog(`${elapsed()} ICE ${pc.iceConnectionState}`);
          if (pc.iceConnectionState === "failed") finish(false, `ICE failed${firstError()}`);
        };
        pc.onconnectionstatechange = () => {
          if (pc.connectionState === "failed") finish(false, `connection failed (ICE ${pc.iceConnectionState})${firstError()}`);
        };
        pc.ondatachannel = event => wireChannel(event.channel);
        pc.ontrack = event => {
          if (event.track.kind !== "video") return;
          const element = $("pair-remote-video");
          element.srcObject = new MediaStream([event.track]);
          element.hidden = false;
          element.play().catch(() => {});
        };
      };
      const videoTransceiver = () => pc.getTransceivers().find(t => t.currentDirection !== "stopped" && t.receiver.track.kind === "video");
      const negotiated = async () => {
        if (finished) return;
        const transceiver = videoTransceiver();
        const direction = transceiver ? transceiver.currentDirection : null;
        sendsVideo = direction === "sendrecv" || direction === "sendonly";
        expectsVideo = direction === "sendrecv" || direction === "recvonly";
        pairLog(`${elapsed()} negotiated; video ${direction || "none"}`);
        for (const p of pending.splice(0)) {
          if (p.from === remote) await addCandidate(p.candidate);
        }
        statsTimer = setInterval(check, 250);
      };
      const addCandidate = candidate => pc.addIceCandidate(candidate).catch(e => pairLog(`addIceCandidate: ${message(e)}`));

      const offer = async () => {
        if (finished) return;
        createPeerConnection();
        const track = camera.stream ? camera.stream.getVideoTracks()[0] : null;
        if (track) pc.addTrack(track, camera.stream); else pc.addTransceiver("video", {direction: "recvonly"});
        wireChannel(pc.createDataChannel("turngate-pair"));
        await pc.setLocalDescription(await pc.createOffer());
        signal({description: {type: pc.localDescription.type, sdp: pc.localDescription.sdp}});
      };
      const onSignal = async m => {
        if (finished) return;
        const from = String(m.from);
        const data = m.data !== null && typeof m.data === "object" ? m.data : {};
        const description = data.description;
        if (remote === null && description && description.type === "offer") {
          role = "answerer";
          met(from);
          pairLog(`${elapsed()} an offer from ${from}: this page answers`);
          createPeerConnection();
        }
        if (from !== remote) {
          if (remote === null && data.candidate) pending.push({from, candidate: data.candidate});
          else pairLog(`${elapsed()} ignored a signal from ${from}`);
          return;
        }
        if (description) {
          await pc.setRemoteDescription(description);
          if (description.type === "offer") {
            const transceiver = videoTransceiver();
            const track = camera.stream ? camera.stream.getVideoTracks()[0] : null;
            if (transceiver && track) {
              await transceiver.sender.replaceTrack(track);
              transceiver.direction = "sendrecv";
            }
            await pc.setLocalDescription(await pc.createAnswer());
            signal({description: {type: pc.localDescription.type, sdp: pc.localDescription.sdp}});
          }
          await negotiated();
        } else if (data.candidate) {
          if (pc.remoteDescription) await addCandidate(data.candidate); else pending.push({from, candidate: data.candidate});
        }
      };

      const onAuthenticated = m => {
        peerId = String(m.peerId);
        iceServers = Array.isArray(m.iceServers) ? m.iceServers : [];
        const others = Array.isArray(m.peers) ? m.peers : [];
        $("pair-info").hidden = false;
        setText("pair-peer", `${peerId} (user ${m.userId}, room ${m.roomId})`);
        pairLog(`${elapsed()} authenticated as ${peerId}; ${others.length} other peer(s) in the room`);
        if (iceServers.length === 0) {
          finish(false, "authenticated without iceServers: the gateway knows no TURN URI (turn-uris)");
          return;
        }
        // A peer-joined may come before authenticated: this page is paired already then.
        if (remote === null && others.length === 0) {
          pairLog(`${elapsed()} waiting for the other page to join room ${room}`);
          const alone = () => finish(false, `no other page joined room ${room} within ${PAIR_WAIT_MS / 1000} s`);
          waitTimer = setTimeout(alone, PAIR_WAIT_MS);
        } else if (remote === null) {
          pairLog(`${elapsed()} waiting for an offer from the peer already in the room`);
          const noOffer = () => finish(false, `no offer within ${PAIR_CONNECT_MS / 1000} s from the ${others.length} peer(s) in room ${room}`);
          waitTimer = setTimeout(noOffer, PAIR_CONNECT_MS);
        }
        authenticated();
      };
      const onPeerJoined = m => {
        const other = String(m.peerId);
        if (remote !== null) {
          pairLog(`${elapsed()} ${other} joined too; this page is paired with ${remote}`);
          return;
        }
        role = "offerer";
        met(other);
        pairLog(`${elapsed()} ${other} (user ${m.userId}) joined: this page, in the room first, makes the offer`);
        serially(() => whenAuthenticated.then(offer));
      };
      const onMessage = m => {
        switch (m.type) {
          case "authenticated": onAuthenticated(m); break;
          case "peer-joined": onPeerJoined(m); break;
          case "peer-left":
            if (String(m.peerId) === remote) finish(false, `the other page (${remote}) left: ${missing()}`);
            break;
          case "signal": serially(() => whenAuthenticated.then(() => onSignal(m))); break;
          case "error":
            lastError = String(m.code);
            pairLog(`${elapsed()} signaling error ${m.code}: ${m.message}`);
            finish(false, `signaling error ${m.code}${typeof m.message === "string" ? `: ${m.message}` : ""}`);
            break;
          default: pairLog(`${elapsed()} ignored a message of type ${m.type}`);
        }
      };

      (async () => {
        camera = await openCamera(wantVideo);
        pairLog(`${elapsed()} ${camera.stream ? camera.note : `data only: ${camera.note}`}`);
        const url = signalingURL();
        ws = new WebSocket(url);
        ws.onopen = () => {
          pairLog(`${elapsed()} ${url} open; authenticating into room ${room}`);
          send({type: "authenticate", token, roomId: room});
        };
        ws.onmessage = event => {
          let m = null;
          try { m = JSON.parse(event.data); } catch (e) {}
          if (m === null || typeof m !== "object") { pairLog(`${elapsed()} an unparsable signaling message`); return; }
          onMessage(m);
        };
        ws.onclose = event => {
          const why = `close ${event.code}${event.reason ? ` ${event.reason}` : ""}`;
          if (peerId === null && lastError === null) {
            finish(false, `the signaling socket ${url} closed before authentication (${why}): signaling off (404), `
                          + "or the upgrade refused (origin_not_allowed, ip_denied, rate_limited)?");
          } else {
            finish(false, `the signaling socket closed (${why}${lastError ? ` after ${lastError}` : ""}): ${missing()}`);
          }
        };
      })().catch(e => finish(false, `cannot start: ${message(e)}`));
    });
  }

  async function runPairTest() {
    if (pair.running) return;
    const room = $("pair-room").value.trim();
    const token = $("jwt").value.trim();
    pair.running = true;
    $("pair-start").disabled = true;
    if (pair.stop) { pair.stop(); pair.stop = null; }
    pairStarted();
    try {
      if (!room) { pairReport("fail", "give a room", {room}); return; }
      if (!token) { pairReport("fail", "paste a JWT in 1. Credentials: signaling authenticates with it", {room}); return; }
      const outcome = await pairTest(room, token, $("pair-video").checked);
      pairReport(outcome.result, outcome.reason, outcome.details);
    } finally {
      pair.running = false;
      $("pair-start").disabled = false;
    }
  }

  $("pair-start").addEventListener("click", () => { runPairTest(); });
  if (parameters.room !== null) $("pair-room").value = parameters.room;
  if (parameters.video === "0") $("pair-video").checked = false;
  document.body.dataset.pairState = "idle";
  if (parameters.mode === "pair" && parameters.room && parameters.jwt) runPairTest();

"""#
}
