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
each page and size goes to the screenshots folder.  Before the walk, a
coordinator enters a lab result past section 2.1's pH limit through the form
(a bad value first: refused, what was typed kept), sees the violation and
the Notice of Violation's draft (also as printed), sets a fee and opens a
hauler's monthly statement; the walk then opens those pages too.  Prints
one "ok - " or "not ok - " line per check."""
import json
import os
import sys

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

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


def shot(d, name, whole=False):
    """The window, or (whole, desktop only) the whole page, into SHOTS."""
    os.makedirs(SHOTS, exist_ok=True)
    if whole:
        size = d.get_window_size()
        height = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(size["width"], max(size["height"], height + 140))
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))
    if whole:
        d.set_window_size(size["width"], size["height"])


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


def submit(d, css):
    """Click the button css and wait for the page it loads (the same
    address, often: the old page gone is the sign)."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(d, 30).until(EC.staleness_of(old))
    WebDriverWait(d, 30).until(lambda b: b.execute_script("return document.readyState") ==
                               "complete")


def fill(d, fields):
    """Type each value into the field of that id (cleared first)."""
    for k, v in fields.items():
        e = d.find_element(By.ID, k)
        e.clear()
        e.send_keys(v)


def lab_walk():
    """The coordinator's lab result, notice, fee and statement (desktop, en)."""
    d = browser("desktop")
    try:
        sign_in(d, "cora", "en")
        check(at(d, "/stations"), "the coordinator signed in", d.current_url)
        d.find_element(By.CSS_SELECTOR, "header nav a[href='/samples']").click()
        check(at(d, "/samples") and d.find_elements(
            By.XPATH, "//tr[th/a='st-01 / 1']/td[.='Waiting for a result']"),
            "the worklist: the sampled load waits for a result", d.page_source[:1500])
        page_ok(d, "samples page", "en")
        axe(d, "samples page")
        shot(d, "web-samples-desktop")
        d.find_element(By.LINK_TEXT, "st-01 / 1").click()
        check(at(d, "/samples/st-01/1"), "the sample's page", d.current_url)
        src = d.find_element(By.CSS_SELECTOR, "dl.facts ul li")
        check(src.text.startswith(NAME) and not src.find_elements(By.XPATH, ".//*"),
              "the source holding <script> and quotes shows as text", repr(src.text))
        # a value with a decimal comma: refused, in words, what was typed kept
        Select(d.find_element(By.ID, "param")).select_by_value("pH")
        fill(d, {"value": "4,2", "unit": "SU", "method": "EPA 9040C", "lab": "State lab",
                 "analysed": "2026-11-25"})
        submit(d, "form[action='/samples/st-01/1'] button")
        alert = d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
        check("decimals with a point" in alert and
              d.find_element(By.ID, "value").get_attribute("value") == "4,2" and
              d.find_element(By.ID, "lab").get_attribute("value") == "State lab" and
              d.find_element(By.ID, "value").get_attribute("aria-invalid") == "true",
              "a bad value refused with its words, what was typed kept", alert)
        axe(d, "sample page with a refusal")
        fill(d, {"value": "4.2"})
        submit(d, "form[action='/samples/st-01/1'] button")
        status = d.find_element(By.CSS_SELECTOR, "main [role=status]").text
        note = d.find_element(By.CSS_SELECTOR, "main .violation").text
        cell = d.find_element(By.XPATH, "//tr[th='pH']/td[@data-label='Verdict']").text
        check("Notice of Violation 1 is drafted" in status and "marked in violation" in note
              and cell == "below the minimum: violation",
              "pH 4.2 exceeds section 2.1's limit: the violation shown", status + " | " + cell)
        page_ok(d, "sample page", "en")
        axe(d, "sample page")
        shot(d, "web-sample-desktop", True)
        d.get(BASE + "/samples")
        d.find_element(By.PARTIAL_LINK_TEXT, "Violation: notice 1").click()
        check(at(d, "/nov/1"), "the worklist links the notice", d.current_url)
        h2 = d.find_element(By.ID, "novno").text
        draft = d.find_element(By.CSS_SELECTOR, ".nov .draft").text
        row = d.find_element(By.XPATH, "//tr[th='pH']").text
        src = d.find_element(By.CSS_SELECTOR, ".nov dl.facts ul li")
        body = d.find_element(By.TAG_NAME, "main").text
        check(h2 == "Notice 1 (draft)" and draft.startswith("DRAFT") and "4.2" in row
              and "at least 5 SU" in row and "2.1.B.2" in row and "Acme Septic Service" in body
              and "Ordinance sections: 2.1.B.2, 8.1." in body and src.text.startswith(NAME)
              and not src.find_elements(By.XPATH, ".//*"),
              "the notice's draft names the hauler, the load, the result, the limit, 2.1 and 8.1",
              body[:1500])
        page_ok(d, "notice page", "en")
        axe(d, "notice page")
        shot(d, "web-nov-desktop", True)
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        hidden = d.execute_script(
            "return getComputedStyle(document.querySelector('header')).display")
        check(hidden == "none", "printed, the notice leaves the menus off", hidden)
        shot(d, "web-nov-print", True)
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        d.find_element(By.CSS_SELECTOR, "header nav a[href='/limits']").click()
        check(at(d, "/limits") and d.find_elements(By.XPATH, "//tr[th='pH']/td[.='2.1.B.2']"),
              "the limits page", d.current_url)
        page_ok(d, "limits page", "en")
        axe(d, "limits page")
        shot(d, "web-limits-desktop")
        d.find_element(By.CSS_SELECTOR, "header nav a[href='/fees']").click()
        at(d, "/fees")
        Select(d.find_element(By.ID, "waste")).select_by_value("septage")
        fill(d, {"from": "2026-11-01", "base": "25", "rate": "0.065"})
        submit(d, "form[action='/fees'] button")
        check(d.find_elements(By.XPATH, "//tr[td='2026-11-01']/td[.='0.0650']"),
              "a fee set through the form", d.page_source[:1500])
        page_ok(d, "fees page", "en")
        axe(d, "fees page")
        shot(d, "web-fees-desktop", True)
        fill(d, {"hauler": "1", "month": "2026-11"})
        submit(d, "form[action='/fees/statement'] button")
        total = d.find_element(By.CSS_SELECTOR, "tfoot td[data-label='Amount ($)']").text
        basis = d.find_element(By.XPATH, "//tr[th='st-01 / 1']/td[@data-label='Billed on']").text
        check(total == "187.50" and basis == "declared (no meter reading)",
              "the statement: 2,500 declared gallons at $25 + $0.065 a gallon", total + basis)
        page_ok(d, "statement page", "en")
        axe(d, "statement page")
        shot(d, "web-statement-desktop", True)
    except Exception as e:  # a page not as expected: said, with where it was
        check(False, "the lab pages could be walked",
              "%s: %s\nat %s\n%s" % (type(e).__name__, str(e).splitlines()[0],
                                      d.current_url, d.page_source[:1500]))
    finally:
        d.quit()


LAB_PAGES = [("samples", "/samples"), ("sample", "/samples/st-01/1"), ("nov", "/nov/1"),
             ("limits", "/limits"), ("fees", "/fees"),
             ("statement", "/fees/statement?hauler=1&month=2026-11")]

lab_walk()
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

            for name, path in LAB_PAGES:
                d.get(BASE + path)
                check(d.find_element(By.TAG_NAME, "h1").text and
                      not d.find_elements(By.CSS_SELECTOR, "main [role=alert]"),
                      "the %s page (admin) %s" % (name, tag), d.page_source[:800])
                page_ok(d, "%s page %s" % (name, tag), lang)
                axe(d, "%s page %s" % (name, tag))
                if size == "phone" and lang == "en" or size == "desktop" and lang == "es":
                    shot(d, "web-%s-%s%s" % (name, size, "-es" if lang == "es" else ""))

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
