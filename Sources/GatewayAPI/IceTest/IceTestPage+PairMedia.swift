extension IceTestPage {
    /// The two-party test's media helpers (``pairScript``): the camera, asked for once with a
    /// bounded wait and at a small size, or the reason there is none; and what `getStats()`
    /// tells of the selected candidate pair and the video received.
    ///
    /// Runs after ``script``, in the same function scope: it uses that script's `message`.
    static let pairMediaScript = #"""


  // --- two-party test: the camera and the statistics -------------------------------------

  const CAMERA_WAIT_MS = 30000;   // for the camera, permission prompt included

  // The camera, or null with the reason there is none; a stream that comes after the wait is
  // stopped at once.
  async function openCamera(wanted) {
    if (!wanted) return {stream: null, note: "video not asked for"};
    const media = navigator.mediaDevices;
    if (!media || !media.getUserMedia) return {stream: null, note: "no camera API (the page needs https or localhost)"};
    try {
      const devices = await media.enumerateDevices();
      if (!devices.some(device => device.kind === "videoinput")) return {stream: null, note: "no camera"};
    } catch (e) {
      return {stream: null, note: `cannot list the cameras: ${message(e)}`};
    }
    let late = false;
    let timer = null;
    const request = media.getUserMedia({audio: false, video: {width: {ideal: 320}, height: {ideal: 240}, frameRate: {ideal: 15}}});
    request.then(stream => { if (late) for (const track of stream.getTracks()) track.stop(); }, () => {});
    const wait = new Promise((_, reject) => {
      timer = setTimeout(() => { late = true; reject(new Error(`no answer within ${CAMERA_WAIT_MS / 1000} s`)); }, CAMERA_WAIT_MS);
    });
    try {
      const stream = await Promise.race([request, wait]);
      const track = stream.getVideoTracks()[0];
      return {stream, note: `camera ${track ? track.label : ""}`.trim()};
    } catch (e) {
      return {stream: null, note: `no camera: ${e && e.name ? `${e.name} ` : ""}${message(e)}`};
    } finally {
      clearTimeout(timer);
    }
  }

  // The selected candidate pair and the received video, from getStats().
  function inspectStats(report) {
    const stats = new Map();
    report.forEach(stat => stats.set(stat.id, stat));
    let selected = null;
    let video = {framesDecoded: 0, width: 0, height: 0};
    for (const stat of stats.values()) {
      if (stat.type === "transport" && stat.selectedCandidatePairId) selected = stats.get(stat.selectedCandidatePairId) || selected;
      if (stat.type === "inbound-rtp" && stat.kind === "video") {
        video = {framesDecoded: stat.framesDecoded || 0, width: stat.frameWidth || 0, height: stat.frameHeight || 0};
      }
    }
    if (!selected) {
      for (const stat of stats.values()) {
        if (stat.type === "candidate-pair" && stat.nominated && stat.state === "succeeded") selected = stat;
      }
    }
    const candidate = id => {
      const c = stats.get(id);
      return c ? {candidateType: c.candidateType, address: c.address || c.ip, port: c.port, protocol: c.protocol,
                  relayProtocol: c.relayProtocol} : null;
    };
    return {selected: selected ? {local: candidate(selected.localCandidateId), remote: candidate(selected.remoteCandidateId)} : null,
            video};
  }

"""#
}
