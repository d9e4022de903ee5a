// The handover signature pad: strokes drawn with a finger (or a mouse) are
// kept as points within 0..1 of the pad and sent as JSON with the form, so
// the signature prints sharp on the handover form at any size.
(function () {
  var pad = document.getElementById("pad");
  if (!pad) return;
  // Without this script the form stays hidden: the page offers paper instead.
  document.getElementById("sign-form").hidden = false;
  var field = document.getElementById("strokes");
  var save = document.getElementById("save-signature");
  var clear = document.getElementById("clear-pad");
  var context = pad.getContext("2d");
  var strokes = [];
  var current = null;

  function fit() {
    var ratio = window.devicePixelRatio || 1;
    pad.width = pad.clientWidth * ratio;
    pad.height = pad.clientHeight * ratio;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    redraw();
  }

  function point(event) {
    var box = pad.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width;
    var y = (event.clientY - box.top) / box.height;
    return [Math.min(1, Math.max(0, +x.toFixed(4))), Math.min(1, Math.max(0, +y.toFixed(4)))];
  }

  function redraw() {
    context.clearRect(0, 0, pad.clientWidth, pad.clientHeight);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#111";
    strokes.forEach(function (stroke) {
      context.beginPath();
      stroke.forEach(function (p, i) {
        var x = p[0] * pad.clientWidth, y = p[1] * pad.clientHeight;
        if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
      });
      context.stroke();
    });
  }

  function update() {
    var points = strokes.reduce(function (n, s) { return n + s.length; }, 0);
    field.value = JSON.stringify(strokes);
    save.disabled = points < 2;
  }

  pad.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    update();
  });
  pad.addEventListener("pointermove", function (event) {
    if (!current) return;
    event.preventDefault();
    current.push(point(event));
    redraw();
    update();
  });
  ["pointerup", "pointercancel", "pointerleave"].forEach(function (name) {
    pad.addEventListener(name, function () { current = null; });
  });
  clear.addEventListener("click", function () {
    strokes = [];
    redraw();
    update();
  });
  window.addEventListener("resize", fit);
  fit();
  update();
})();
