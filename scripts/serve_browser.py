#!/usr/bin/env python3
"""Drives `genlab serve`'s page in headless Chromium (Selenium, Debian's chromium-driver), as a
reader would: at 1400 px it picks the width double-descent experiment at tiny settings, moves the
label-noise slider with the keyboard, types a bad value (the CLI's message must show) and a good
one, runs it, waits for points drawn in the figure and for the verdict, then cancels a second,
longer run; runs the regularizer ablation, whose finished seeds must be drawn before its end
(a live measurement, not a sweep of points); at 400 px it reopens the shared link, which must show the computed result at once and
not scroll sideways. Fails on any console error. Screenshots: serve-1400.png, serve-400.png.

usage: scripts/serve_browser.py URL --shots DIR [--points N] [--driver PATH]
"""
import argparse, os, sys, time
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def fail(message):
    print("serve-browser: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def wait(what, condition, seconds):
    end = time.time() + seconds
    while time.time() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    fail("timed out after %d s waiting for %s" % (seconds, what))


def browser(driver_path):
    options = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"]:
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver_path), options=options)


def set_number(d, key, text):
    field = d.find_element(By.ID, "p-" + key)
    field.clear()
    field.send_keys(text)


def text(d, id):
    return d.find_element(By.ID, id).text


def state(d):
    return d.find_element(By.ID, "status").get_attribute("data-state") or ""


def explore(d, url, points, shots):
    d.set_window_size(1400, 1050)
    d.get(url + "#e=double-descent-width&s=tiny")
    wait("the controls", lambda: d.find_elements(By.ID, "r-labelNoise"), 20)
    # Move a control: the label-noise slider, 5 steps of 0.01 down with the keyboard.
    slider = d.find_element(By.ID, "r-labelNoise")
    for _ in range(5):
        slider.send_keys(Keys.ARROW_LEFT)
    wait("the command with the new label noise", lambda: "--label-noise 0.1" in text(d, "command"), 10)
    if "labelNoise=0.1" not in d.current_url:
        fail("the URL does not carry the setting: " + d.current_url)
    # A bad value: the CLI's own message, on the page; the Run button off.
    set_number(d, "labelNoise", "1.5")
    wait("the CLI's error message", lambda: "must be in [0, 1], got 1.5" in text(d, "error"), 10)
    if d.find_element(By.ID, "run").is_enabled():
        fail("Run stays enabled with a bad setting")
    set_number(d, "labelNoise", "0.1")
    set_number(d, "epochs", "4")
    wait("the error to clear", lambda: not d.find_element(By.ID, "error").is_displayed(), 10)
    wait("Run to be enabled", lambda: d.find_element(By.ID, "run").is_enabled(), 10)
    started = time.time()
    d.find_element(By.ID, "run").click()
    drawn = lambda: len(d.find_elements(By.CSS_SELECTOR, "#figures figure[data-file='width.svg'] svg circle.data"))
    wait("%d points drawn in the figure" % points, lambda: drawn() >= points, 180)
    first = time.time() - started
    wait("the run to finish", lambda: state(d) == "done", 180)
    verdicts = d.find_elements(By.CSS_SELECTOR, "#verdicts .verdict")
    if not verdicts or "double descent" not in verdicts[0].text:
        fail("no verdict text after the run")
    print("serve-browser: %d points drawn after %.1f s, the run done after %.1f s; verdict: %s"
          % (drawn(), first, time.time() - started, verdicts[0].find_element(By.CLASS_NAME, "label").text))
    d.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.3)
    d.save_screenshot(os.path.join(shots, "serve-1400.png"))
    shared = d.current_url
    cancel_second(d)
    return shared


def cancel_second(d):
    set_number(d, "epochs", "400")
    d.find_element(By.ID, "p-widths").clear()
    d.find_element(By.ID, "p-widths").send_keys("8,16,32,64,128,256")
    wait("Run to be enabled", lambda: d.find_element(By.ID, "run").is_enabled(), 10)
    d.find_element(By.ID, "run").click()
    wait("the second run to start", lambda: state(d) == "running", 60)
    time.sleep(1)
    asked = time.time()
    d.find_element(By.ID, "cancel").click()
    wait("the cancelled state", lambda: state(d) == "cancelled", 10)
    took = time.time() - asked
    if took > 2:
        fail("cancel took %.1f s" % took)
    print("serve-browser: the second run cancelled in %.2f s (%s)" % (took, text(d, "status")))


def live_measurement(d, url):
    """An experiment that is not a sweep of points redraws live too: the regularizer ablation shows
    the analysis of its finished seeds, marked as partial, before its final verdicts."""
    d.get("about:blank")
    d.get(url + "#e=regularizers&s=tiny&seeds=6&epochs=40")
    wait("Run to be enabled", lambda: d.find_elements(By.ID, "run") and d.find_element(By.ID, "run").is_enabled(), 20)
    started = time.time()
    d.find_element(By.ID, "run").click()
    so_far = lambda: [c for c in d.find_elements(By.CSS_SELECTOR, "#figures figcaption") if "(so far)" in c.text]
    wait("a partial figure from the finished seeds", lambda: so_far() and "seeds finished" in text(d, "notes"), 120)
    first = time.time() - started
    wait("the run to finish", lambda: state(d) == "done", 180)
    if so_far():
        fail("the final result still says 'so far'")
    if "Dropout" not in text(d, "verdicts"):
        fail("no regularizer verdicts after the run")
    print("serve-browser: the regularizer ablation drew its finished seeds after %.1f s, done after %.1f s" % (first, time.time() - started))


def narrow(d, shared, shots):
    d.set_window_size(400, 900)
    d.get("about:blank")
    d.get(shared)
    wait("the computed result at once", lambda: "computed before" in text(d, "status"), 15)
    wait("the figure", lambda: d.find_elements(By.CSS_SELECTOR, "#figures svg circle.data"), 10)
    wide = d.execute_script("return document.documentElement.scrollWidth > window.innerWidth + 1")
    if wide:
        fail("the page scrolls sideways at 400 px")
    d.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.3)
    d.save_screenshot(os.path.join(shots, "serve-400.png"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--shots", required=True)
    p.add_argument("--points", type=int, default=4)
    p.add_argument("--driver", default="/usr/bin/chromedriver")
    a = p.parse_args()
    d = browser(a.driver)
    try:
        shared = explore(d, a.url, a.points, a.shots)
        live_measurement(d, a.url)
        narrow(d, shared, a.shots)
        errors = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
        if errors:
            fail("console errors: " + "; ".join(e.get("message", "") for e in errors))
    finally:
        d.quit()
    print("serve-browser: ok")


main()
