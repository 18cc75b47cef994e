#!/usr/bin/python3
"""web_browser.py: the plant's pages in headless Chromium driven by Selenium,
for tests/cli/test_web_browser.sh (which starts the server and gives the
address, the accounts and axe-core's file).

Each page is opened as a person would (the sign-in form filled and sent,
links followed) at a desktop and a phone size, in English and Spanish;
in each: the station name a person typed (holding <script> and quotes)
shows as that text and runs nothing, the style sheet applies (the CSP lets
the server's own file in), the page has no script, and axe-core finds no
serious or critical accessibility fault (WCAG 2.2 AA).  A screenshot of
each page and size goes to the screenshots folder.  Prints one "ok - " or
"not ok - " line per check."""
import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, AXE, SHOTS, NAME, PASSWORD = sys.argv[1:6]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
failed = 0


def check(ok, name, why=""):
    global failed
    if ok:
        print("ok - " + name, flush=True)
    else:
        failed += 1
        print("not ok - " + name, flush=True)
        for line in str(why).splitlines()[:30]:
            print("# " + line, flush=True)


def browser(size):
    o = webdriver.ChromeOptions()
    o.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--ignore-certificate-errors", "--hide-scrollbars", "--force-device-scale-factor=1",
              "--window-size=%d,%d" % SIZES[size], "--disable-extensions", "--no-first-run"):
        o.add_argument(a)
    o.set_capability("acceptInsecureCerts", True)
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    d.set_page_load_timeout(60)
    d.set_script_timeout(120)
    if size == "phone":  # the window's inner size, not the outer
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": SIZES[size][0], "height": SIZES[size][1], "deviceScaleFactor": 1,
            "mobile": True})
    return d


with open(AXE, encoding="utf-8") as f:
    AXE_SRC = f.read()


def axe(d, what):
    """axe-core run in the page (injected through WebDriver, not the page's
    own script, which the CSP would refuse): serious and critical faults."""
    d.execute_script(AXE_SRC)
    res = d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})"
        ".then(function (r) { done(JSON.stringify(r.violations)); })"
        ".catch(function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}])); });" % json.dumps(AXE_TAGS))
    bad = [v for v in json.loads(res) if v.get("impact") in ("serious", "critical")]
    check(not bad, "axe-core: no serious or critical finding: " + what,
          "\n".join("%s (%s): %s: %s" % (v["id"], v["impact"], v["help"],
                                         "; ".join(n["html"][:120] for n in v["nodes"][:3]))
                    for v in bad))


def page_ok(d, what, lang):
    """What every page must be: its language, the style sheet applied, no
    script in it, no alert raised, no CSP report in the console."""
    html_lang = d.find_element(By.TAG_NAME, "html").get_attribute("lang")
    bg = d.execute_script(
        "return getComputedStyle(document.querySelector('header')).backgroundColor")
    scripts = d.execute_script("return document.scripts.length")
    try:
        d.switch_to.alert
        alert = True
    except NoAlertPresentException:
        alert = False
    csp = [e["message"] for e in d.get_log("browser") if "Content Security Policy" in e["message"]]
    check(html_lang == lang and bg == "rgb(238, 242, 246)" and scripts == 0 and not alert
          and not csp, "%s: lang %s, the style sheet applied, no script, no alert, no CSP "
          "report" % (what, lang), "lang %s bg %s scripts %s alert %s csp %s" %
          (html_lang, bg, scripts, alert, csp))


def shot(d, name):
    os.makedirs(SHOTS, exist_ok=True)
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def at(d, path):
    """Has the browser arrived at path (a click's navigation done)?"""
    try:
        WebDriverWait(d, 30).until(
            lambda b: b.current_url.split("?")[0].endswith(path)
            and b.execute_script("return document.readyState") == "complete")
        return True
    except Exception:  # the wait's timeout: said by the caller's check
        return False


def sign_in(d, login, lang):
    d.get(BASE + "/signin?lang=" + lang)
    d.find_element(By.ID, "login").send_keys(login)
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "form.signin button[type=submit]").click()


for size in SIZES:
    for lang in ("en", "es"):
        tag = "%s %s" % (size, lang)
        d = browser(size)
        try:
            d.get(BASE + "/signin?lang=" + lang)
            check(d.find_element(By.TAG_NAME, "h1").text ==
                  {"en": "Sign in", "es": "Iniciar sesión"}[lang], "sign-in page " + tag,
                  d.page_source[:500])
            page_ok(d, "sign-in page " + tag, lang)
            axe(d, "sign-in page " + tag)
            if lang == "en":
                shot(d, "web-signin-" + size)

            sign_in(d, "ana", lang)
            check(at(d, "/stations"), "signed in, the stations page " + tag,
                  d.current_url)
            cell = d.find_element(By.XPATH, "//tr[th='north-01']/td[1]")
            check(cell.text == NAME and not cell.find_elements(By.XPATH, ".//*"),
                  "the station name holding <script> and quotes shows as text " + tag,
                  repr(cell.text) + " " + repr(cell.get_attribute("innerHTML")))
            page_ok(d, "stations page " + tag, lang)
            axe(d, "stations page " + tag)
            shot(d, "web-stations-%s-%s" % (size, lang) if lang == "es" else "web-stations-" + size)

            d.find_element(By.CSS_SELECTOR, "header nav a[href='/users']").click()
            check(at(d, "/users") and
                  d.find_elements(By.XPATH, "//tr[th='aud']"), "the users page (admin) " + tag,
                  d.current_url)
            page_ok(d, "users page " + tag, lang)
            axe(d, "users page " + tag)
            if lang == "en":
                shot(d, "web-users-" + size)

            d.find_element(By.CSS_SELECTOR, "header nav a[href='/log']").click()
            check(at(d, "/log") and d.find_elements(By.XPATH, "//td[.='user.add']"),
                  "the staff log page " + tag, d.current_url)
            page_ok(d, "staff log page " + tag, lang)
            axe(d, "staff log page " + tag)
            if lang == "en":
                shot(d, "web-log-" + size)

            d.find_element(By.CSS_SELECTOR, "header nav a[href='/']").click()
            check(at(d, "/") and d.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
                  and NAME in [a.text for a in
                               d.find_elements(By.CSS_SELECTOR, "ul.permits li a")],
                  "the dashboard: its chart, the permit expiring " + tag, d.current_url)
            page_ok(d, "dashboard " + tag, lang)
            axe(d, "dashboard " + tag)
            shot(d, "web-dashboard-%s-%s" % (size, lang) if lang == "es" else
                 "web-dashboard-" + size)

            d.find_element(By.CSS_SELECTOR, "header nav a[href='/haulers']").click()
            link = d.find_element(By.XPATH, "//tr/th/a[starts-with(@href, '/haulers/')]")
            check(at(d, "/haulers") and link.text == NAME and
                  not link.find_elements(By.XPATH, ".//*"),
                  "the haulers page: the company holding <script> and quotes shows as text " +
                  tag, repr(link.text))
            page_ok(d, "haulers page " + tag, lang)
            axe(d, "haulers page " + tag)
            shot(d, "web-haulers-%s-%s" % (size, lang) if lang == "es" else
                 "web-haulers-" + size)

            link.click()
            lead = d.find_element(By.CSS_SELECTOR, "main p.lead")
            check(at(d, "/haulers/1") and lead.text == NAME and
                  d.find_elements(By.XPATH, "//code[.='04a1b2c3']"),
                  "a hauler's page: its name as text, its card " + tag, repr(lead.text))
            page_ok(d, "hauler page " + tag, lang)
            axe(d, "hauler page " + tag)
            shot(d, "web-hauler-%s-%s" % (size, lang) if lang == "es" else
                 "web-hauler-" + size)

            d.find_element(By.CSS_SELECTOR, "header nav a[href='/rv-visits']").click()
            check(at(d, "/rv-visits") and d.find_elements(By.CSS_SELECTOR, "form[role=search]"),
                  "the RV visits page " + tag, d.current_url)
            page_ok(d, "RV visits page " + tag, lang)
            axe(d, "RV visits page " + tag)
            shot(d, "web-rv-%s-%s" % (size, lang) if lang == "es" else "web-rv-" + size)

            d.find_element(By.CSS_SELECTOR, "header .who button[type=submit]").click()
            check(at(d, "/signin"), "signed out " + tag, d.current_url)
            d.get(BASE + "/stations")
            check(at(d, "/signin"), "after sign-out a page asks to sign in " + tag,
                  d.current_url)

            sign_in(d, "aud", lang)
            check(at(d, "/stations"), "the auditor signed in " + tag, d.current_url)
            d.get(BASE + "/users")
            alert = d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
            check(alert == {"en": "You may not do this. Nothing was changed.",
                            "es": "No puede hacer esto. No se ha cambiado nada."}[lang],
                  "the auditor is refused the users page " + tag, alert)
            page_ok(d, "refusal page " + tag, lang)
            axe(d, "refusal page " + tag)
            if lang == "en":
                shot(d, "web-refused-" + size)
        except Exception as e:  # a page not as expected: said, with where it was
            check(False, "the pages could be walked " + tag,
                  "%s: %s\nat %s\n%s" % (type(e).__name__, str(e).splitlines()[0],
                                         d.current_url, d.page_source[:1500]))
        finally:
            d.quit()

sys.exit(1 if failed else 0)
