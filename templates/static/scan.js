// The scan page's only script: the camera, where the browser can read QR
// codes itself (BarcodeDetector). Hardware scanners need no script: they
// type into the focused input and press Enter.
(function () {
  const form = document.getElementById("scan-form");
  const input = document.getElementById("scan-code");
  const button = document.getElementById("scan-camera");
  const video = document.getElementById("scan-video");
  if (!form || !input) return;
  // Keep the input ready for the next scan, even after choosing a mode.
  document.getElementById("scan-action")?.addEventListener("change", () => input.focus());
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const look = async () => {
      const codes = await detector.detect(video).catch(() => []);
      if (codes.length > 0) {
        stream.getTracks().forEach((t) => t.stop());
        input.value = codes[0].rawValue;
        form.submit();
        return;
      }
      requestAnimationFrame(look);
    };
    look();
  });
})();
