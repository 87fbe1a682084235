#!/usr/bin/env python3
"""Loads an HTML file in headless Chromium and runs steps in it, over the DevTools protocol on
a pipe (--remote-debugging-pipe: no port, no network). Used by the report's tests.

usage: browser-check.py FILE.html STEPS.json
STEPS is a JSON list of objects, run in order:
  {"eval": "JS expression"}                 -> its value (returned by value; promises awaited)
  {"click": "CSS selector"}                 -> a real mouse click at the element's centre
  {"type": ["CSS selector", "text"]}        -> focuses the element and types the text as keys
  {"width": N}                              -> sets the window's width in CSS pixels (height 900)
  {"media": "print"}                        -> emulates print media ("" for the screen again)
  {"screenshot": "out.png"}                 -> the whole page as PNG
  {"pdf": "out.pdf"}                        -> the page printed (print media) as PDF
Prints one JSON object: {"results": [...], "requests": [URLs the page asked for],
"errors": [console errors and uncaught exceptions]}.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, binary):
        self.to_chrome_r, self.to_chrome_w = os.pipe()
        self.from_chrome_r, self.from_chrome_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="packet-path-chromium-")
        to_r, from_w = self.to_chrome_r, self.from_chrome_w

        def pipes():  # the DevTools pipe is fds 3 (commands) and 4 (answers); copies first, as
            # either may be 3 or 4 already (subprocess closes all but pass_fds after this runs)
            commands, answers = os.dup(to_r), os.dup(from_w)
            os.dup2(commands, 3)
            os.dup2(answers, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--remote-debugging-pipe", "--user-data-dir=" + self.profile, "about:blank"],
            pass_fds=(3, 4), preexec_fn=pipes, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome_w, json.dumps(message).encode() + b"\0")
        return self.next_id

    def receive(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise SystemExit("browser-check: Chromium did not answer in time")
            chunk = os.read(self.from_chrome_r, 1 << 16)
            if not chunk:
                raise SystemExit("browser-check: Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, session=None, timeout=30):
        wanted = self.send(method, params, session)
        deadline = time.time() + timeout
        while True:
            message = self.receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise SystemExit(f"browser-check: {method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(index)
        while True:
            message = self.receive(deadline)
            if message.get("method") == method:
                return message
            self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
        subprocess.run(["rm", "-rf", self.profile])


def main():
    page, steps = sys.argv[1], json.load(open(sys.argv[2]))
    binary = next((b for b in ("chromium", "chromium-browser", "google-chrome") if subprocess.run(
        ["sh", "-c", f"command -v {b}"], stdout=subprocess.DEVNULL).returncode == 0), None)
    if binary is None:
        raise SystemExit("browser-check: no chromium on PATH (Debian: apt install chromium)")
    browser = Browser(binary)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            browser.call(domain + ".enable", session=session)
        browser.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        browser.call("Page.navigate", {"url": "file://" + os.path.abspath(page)}, session=session)
        browser.wait_for("Page.loadEventFired")
        results = []

        def evaluate(expression):
            answer = browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, session=session)
            if "exceptionDetails" in answer:
                raise SystemExit(f"browser-check: {expression}: {answer['exceptionDetails']}")
            return answer["result"].get("value")

        for step in steps:
            if "eval" in step:
                results.append(evaluate(step["eval"]))
            elif "click" in step:
                box = evaluate(f"(() => {{ const e = document.querySelector({json.dumps(step['click'])}); e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()")
                for kind in ("mousePressed", "mouseReleased"):
                    browser.call("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1}, session=session)
                results.append(None)
            elif "type" in step:
                selector, text = step["type"]
                evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
                browser.call("Input.insertText", {"text": text}, session=session)
                results.append(None)
            elif "width" in step:
                browser.call("Emulation.setDeviceMetricsOverride", {"width": step["width"], "height": 900, "deviceScaleFactor": 1, "mobile": step["width"] < 700}, session=session)
                results.append(None)
            elif "media" in step:
                browser.call("Emulation.setEmulatedMedia", {"media": step["media"]}, session=session)
                results.append(None)
            elif "screenshot" in step:
                shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session=session)
                open(step["screenshot"], "wb").write(base64.b64decode(shot["data"]))
                results.append(None)
            elif "pdf" in step:
                pdf = browser.call("Page.printToPDF", {"printBackground": True}, session=session, timeout=60)
                open(step["pdf"], "wb").write(base64.b64decode(pdf["data"]))
                results.append(None)
        requests = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
        errors = [e["params"]["entry"]["text"] for e in browser.events if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"]
        errors += [e["params"]["exceptionDetails"]["text"] for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
        print(json.dumps({"results": results, "requests": requests, "errors": errors}))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
