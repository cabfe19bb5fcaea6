// Search in a site opened from disk. Chromium starts no Worker from a file:// page, so Material's search worker
// runs in a hidden frame of the page's own origin instead (Material's offline mode looks for `IFrameWorker`).
// Unlike the iframe-worker package, it writes no inline script into the frame: the page's policy allows none.
(function () {
  if (location.protocol !== "file:") {
    return;
  }

  function load(frame, src) {
    return new Promise(function (resolve, reject) {
      var script = frame.document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = reject;
      frame.document.body.appendChild(script);
    });
  }

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = this.onerror = null;
      this.iframe = document.createElement("iframe");
      this.iframe.hidden = true;
      document.body.appendChild(this.iframe);
      var frame = this.iframe.contentWindow;
      var worker = this;
      frame.postMessage = function (data) { worker.emit(new MessageEvent("message", {data: data})); };
      frame.importScripts = function () {
        return Array.prototype.reduce.call(arguments, function (done, src) {
          return done.then(function () { return load(frame, src); });
        }, Promise.resolve());
      };
      this.ready = load(frame, url);
      this.ready.catch(function () { worker.emit(new ErrorEvent("error", {message: "cannot load " + url})); });
    }

    emit(event) {
      this.dispatchEvent(event);
      var handler = this["on" + event.type];
      if (handler) {
        handler.call(this, event);
      }
    }

    postMessage(data) {
      var frame = this.iframe.contentWindow;
      this.ready.then(function () { frame.dispatchEvent(new frame.MessageEvent("message", {data: data})); });
    }

    terminate() {
      this.iframe.remove();
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;
})();
