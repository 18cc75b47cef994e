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
each page and size goes to the screenshots folder.  The auditor walks the
loads too: the filter form filled and sent, the CSV of the same filter
taken from its link and parsed with csv (the page's rows, no confidential
column, no cell a spreadsheet would run), a load opened from its row (the
characteristics a hauler typed, holding <script> and a formula, shown as
that text; the confidential fields withheld; the inclusion proof holding).
Prints one "ok - " or "not ok - " line per check.

With three more arguments (a genuine receipt's QR text, the same with its
figures altered, a coordinator's login) it also checks the receipt page
(/r) as a hauler's phone opens it (375x812): the genuine one and the forged
one, a dispute raised through its form (the text holding <script> and
quotes), and the coordinator's worklist (/disputes) showing that text as
text and taking the answer.

Before the walk, a coordinator enters a lab result past section 2.1's pH
limit through the form (a bad value first: refused, what was typed kept),
sees the violation and the Notice of Violation's draft (also as printed),
sets a fee and opens a hauler's monthly statement; the walk then opens
those pages too.  Then (admin_walk(), desktop, English and Spanish) the
coordinator sets a station's policy through /policy's form (a bad value
first: refused in station.ini's words, what was typed kept), and the admin
has a station's registration refused and disables, enables and changes the
role of accounts through the users page's row forms; the walk opens
/policy too."""
import csv
import io
import json
import os
import sys
import traceback

from selenium import webdriver
from selenium.common.exceptions import (NoAlertPresentException, StaleElementReferenceException,
                                        WebDriverException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, AXE, SHOTS, NAME, PASSWORD, EVIL_CHARS = sys.argv[1:7]
RECEIPT, FORGED, COORDINATOR = (sys.argv[7:10] + [None, None, None])[:3]
SIZES = {"desktop": (1280, 900), "phone": (390, 844), "receipt": (375, 812)}
DISPUTE = '<script>alert("x")</script> I brought "2500" gallons, O\'Neil & co'
VERDICT = {
    "en": ("Genuine: signed by station", "NOT GENUINE."),
    "es": ("Auténtico: firmado por la estación", "NO ES AUTÉNTICO."),
}
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
    if size in ("phone", "receipt"):  # the window's inner size, not the outer
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
    # on a phone a table folds into blocks: nothing of it hidden to the right
    wide = d.execute_script(
        "if (window.innerWidth > 500) return [];"
        "return Array.from(document.querySelectorAll('main .scroll, main th, main td'))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 60) + ' ' +"
        " e.scrollWidth + '>' + e.clientWidth);")
    check(not wide, "%s: nothing cut or scrolled sideways on a phone" % what, wide)


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


def fetch_text(d, url):
    """The body of url, fetched by the page itself (its cookies, its origin)."""
    return d.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'})"
        ".then(function (r) { return r.text().then(function (t) { done([r.status, t]); }); })"
        ".catch(function (e) { done([0, String(e)]); });", url)


def loads_walk(d, size, lang, tag):
    """The auditor filters the loads, takes their CSV, opens a load."""
    d.find_element(By.CSS_SELECTOR, "header nav a[href='/loads']").click()
    check(at(d, "/loads") and d.find_elements(By.CSS_SELECTOR, "table.loads tbody tr"),
          "the loads page from the menu " + tag, d.current_url)
    page_ok(d, "loads page " + tag, lang)
    axe(d, "loads page " + tag)
    if lang == "en":
        shot(d, "web-loads-" + size)
    every = len(d.find_elements(By.CSS_SELECTOR, "table.loads tbody tr"))
    Select(d.find_element(By.ID, "decision")).select_by_value("accepted")
    # sent as a person on a phone does: Enter in the text field
    d.find_element(By.ID, "q").send_keys("Acme" + Keys.RETURN)
    WebDriverWait(d, 30).until(lambda b: "decision=accepted" in b.current_url)
    rows = d.find_elements(By.CSS_SELECTOR, "table.loads tbody tr")
    keys = [(r.get_attribute("data-station"), r.get_attribute("data-load")) for r in rows]
    verdict = {"en": "accepted", "es": "aceptada"}[lang]
    check(0 < len(rows) < every and all(
        "Acme" in r.find_element(By.CSS_SELECTOR, "td.company").text and
        r.find_element(By.CSS_SELECTOR, "td:nth-of-type(6)").text == verdict for r in rows),
        "the filter form narrows the loads (accepted, Acme) " + tag,
        "%d of %d: %s" % (len(rows), every, [r.text for r in rows]))
    href = d.find_element(By.CSS_SELECTOR, "p.export a").get_attribute("href")
    status, text = fetch_text(d, href)
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    check(status == 200 and "decision=accepted" in href and
          [(r["station"], r["load_no"]) for r in table] == keys and
          not {"sources", "industry", "constituents"} & set(table[0] if table else {}) and
          all(not v or v[0] not in "=+-@\t\r" for r in table for v in r.values()),
          "the CSV of the filter, parsed: the page's rows, no confidential column, no formula "
          + tag, "%s %s %s" % (status, href, text[:400]))
    d.get(BASE + "/loads?decision=accepted&q=Acme")
    d.find_element(By.CSS_SELECTOR, "table.loads tbody tr th a").click()
    WebDriverWait(d, 30).until(lambda b: "/loads/" in b.current_url)
    chars = d.find_element(By.ID, "f-characteristics")
    withheld = d.find_elements(By.CSS_SELECTOR, "tr.source td.withheld")
    check(chars.text == EVIL_CHARS and not chars.find_elements(By.XPATH, ".//*") and
          len(withheld) >= 3 and "Pumps" not in d.page_source and
          d.find_elements(By.CSS_SELECTOR, "#proof-result.ok"),
          "a load opened: typed <script> and formulas as text, confidential fields withheld, "
          "the proof holds " + tag, repr(chars.text) + " " + d.page_source[:800])
    page_ok(d, "load page " + tag, lang)
    axe(d, "load page " + tag)
    if lang == "en":
        shot(d, "web-load-" + size)


def receipt_pages():
    """The receipt check on a phone, a dispute raised, and the worklist."""
    query = RECEIPT.split("?", 1)[1]
    d = browser("receipt")
    try:
        for lang in ("en", "es"):
            d.get(BASE + "/r?lang=%s&%s" % (lang, query))
            verdicts = [e.text for e in d.find_elements(By.CSS_SELECTOR, "p.verdict")]
            check(verdicts and verdicts[0].startswith(VERDICT[lang][0])
                  and not d.find_elements(By.CSS_SELECTOR, "p.verdict.bad"),
                  "a genuine receipt on a phone says so " + lang, verdicts)
            width = d.execute_script("return document.documentElement.scrollWidth")
            check(width <= 375, "the receipt page fits the phone's width " + lang, width)
            page_ok(d, "receipt page (genuine) " + lang, lang)
            axe(d, "receipt page (genuine) " + lang)
            shot(d, "web-receipt-phone" + ("-es" if lang == "es" else ""))
            d.get(BASE + "/r?lang=%s&%s" % (lang, FORGED.split("?", 1)[1]))
            verdicts = [e.text for e in d.find_elements(By.CSS_SELECTOR, "p.verdict.bad")]
            check(verdicts and verdicts[0].startswith(VERDICT[lang][1])
                  and not d.find_elements(By.TAG_NAME, "dd")
                  and not d.find_elements(By.ID, "what"),
                  "a forged receipt on a phone says so, and shows nothing of it " + lang,
                  verdicts)
            page_ok(d, "receipt page (forged) " + lang, lang)
            axe(d, "receipt page (forged) " + lang)
            shot(d, "web-receipt-forged-phone" + ("-es" if lang == "es" else ""))

        d.get(BASE + "/r?lang=en&" + query)
        d.find_element(By.ID, "what").send_keys(DISPUTE)
        d.find_element(By.ID, "contact").send_keys("555-0100")
        d.find_element(By.CSS_SELECTOR, "form[aria-labelledby=dispute] button").click()
        WebDriverWait(d, 30).until(
            lambda b: b.find_elements(By.CSS_SELECTOR, "main [role=status]"))
        msg = d.find_element(By.CSS_SELECTOR, "main [role=status]").text
        check(msg.startswith("Your dispute is recorded as number "),
              "a dispute raised through the receipt page's form", msg)
        page_ok(d, "receipt page (dispute sent)", "en")
        axe(d, "receipt page (dispute sent)")
        shot(d, "web-dispute-sent-phone")
    except Exception as e:  # a page not as expected: said, with where it was
        check(False, "the receipt pages could be walked",
              walk_error(d, e))
    finally:
        d.quit()

    for size in ("phone", "desktop"):  # the answer last
        d = browser(size)
        try:
            sign_in(d, COORDINATOR, "en")
            check(at(d, "/stations"), "the coordinator signed in " + size, d.current_url)
            d.find_element(By.CSS_SELECTOR, "header nav a[href='/disputes']").click()
            check(at(d, "/disputes"), "the disputes page " + size, d.current_url)
            cells = d.find_elements(By.XPATH, "//tr[th='1']/td[4]")
            check(cells and cells[0].text == DISPUTE
                  and not cells[0].find_elements(By.XPATH, ".//*"),
                  "the hauler's text holding <script> and quotes shows as text " + size,
                  [c.get_attribute("innerHTML") for c in cells])
            page_ok(d, "disputes page " + size, "en")
            axe(d, "disputes page " + size)
            shot(d, "web-disputes-" + size)
            if size == "phone":
                continue
            d.find_element(By.ID, "answer-1").send_keys("The meter agrees with the form.")
            d.find_element(By.CSS_SELECTOR, "input[name=outcome][value=stands]").click()
            d.find_element(By.CSS_SELECTOR, "form.answer button").click()
            WebDriverWait(d, 30).until(
                lambda b: b.find_elements(By.CSS_SELECTOR, "main [role=status]"))
            msg = d.find_element(By.CSS_SELECTOR, "main [role=status]").text
            check(msg == "Dispute 1 answered.", "the coordinator answers the dispute", msg)
            d.find_element(By.CSS_SELECTOR, "main a[href='/disputes?all=1']").click()
            check(at(d, "/disputes") and
                  "The meter agrees with the form." in d.find_element(By.TAG_NAME, "main").text,
                  "the answer is shown with the dispute", d.page_source[:1500])
            page_ok(d, "disputes page (answered)", "en")
            axe(d, "disputes page (answered)")
            shot(d, "web-disputes-answered-desktop")
        except Exception as e:  # a page not as expected: said, with where it was
            check(False, "the disputes pages could be walked " + size,
                  walk_error(d, e))
        finally:
            d.quit()


def walk_error(d, e):
    """What a walk stopped on: the exception, the test's line that raised
    it, the address and the start of the page."""
    here = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
    return "%s: %s\nat %s (%s line %s)\n%s" % (
        type(e).__name__, str(e).splitlines()[0] if str(e) else "", d.current_url,
        here[-1].name if here else "?", here[-1].lineno if here else "?", d.page_source[:1500])


def gone(old):
    """A wait's condition: the element old is no longer in the document.
    Selenium's staleness_of takes only StaleElementReferenceException for
    that; Chromium also answers, while the next page is being put in place,
    "Node with given id does not belong to the document" (seen on busy
    cores), which means the same."""
    def check_gone(_):
        try:
            old.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as e:
            if "does not belong to the document" in str(e):
                return True
            raise
    return check_gone


def submit(d, css):
    """Click the button css and wait for the page it loads (the same
    address, often: the old page gone is the sign)."""
    old = d.find_element(By.TAG_NAME, "html")
    d.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(d, 30).until(gone(old))
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
        d.get(BASE + "/loads/st-01/1")
        cell = d.find_element(
            By.XPATH, "//section[@id='sample']//tr[th='pH']/td[@data-label='Verdict']").text
        nov = d.find_element(By.CSS_SELECTOR, "#novs a")
        sample = d.find_element(By.CSS_SELECTOR, "#sample-link a").get_attribute("href")
        said = [p.text for p in d.find_elements(By.CSS_SELECTOR, "#receipt-check .verdict.ok")]
        check(cell == "below the minimum: violation" and
              nov.get_attribute("href").endswith("/nov/1") and "notice 1 (draft)" in nov.text
              and sample.endswith("/samples/st-01/1") and len(said) == 3 and
              said[0].startswith("Genuine") and said[1].startswith("It matches") and
              not d.find_elements(By.CSS_SELECTOR, "#receipt-check .verdict.bad"),
              "the load's page: the result's violation, its notice, its sample's page, "
              "its receipt's QR genuine, matching, held", "%s | %s | %s" % (cell, nov.text, said))
        page_ok(d, "load page with lab results", "en")
        axe(d, "load page with lab results")
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
        fill(d, {"hauler": "1", "month": "2026-11", "station": "st-01"})
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
              walk_error(d, e))
    finally:
        d.quit()


def admin_walk():
    """The coordinator's policy form, the admin's account and station forms
    (desktop, en and es): a refusal with its words and what was typed kept,
    a change done, each page checked by axe-core."""
    for lang in ("en", "es"):
        tag = "desktop " + lang
        d = browser("desktop")
        try:
            sign_in(d, "cora", lang)
            check(at(d, "/stations"), "the coordinator signed in " + tag, d.current_url)
            d.find_element(By.CSS_SELECTOR, "header nav a[href='/policy']").click()
            check(at(d, "/policy") and d.find_elements(By.XPATH, "//tr[th/code='hours.mon']"),
                  "the policy page from the menu " + tag, d.current_url)
            page_ok(d, "policy page with its form " + tag, lang)
            axe(d, "policy page with its form " + tag)
            Select(d.find_element(By.ID, "key")).select_by_value("hours.tue")
            Select(d.find_element(By.ID, "station")).select_by_value("north-01")
            fill(d, {"value": "25:00-26:00"})
            submit(d, "form[action='/policy'] button[value=set]")
            alert = d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
            lead = {"en": "The value was refused", "es": "Se rechazó el valor"}[lang]
            check(alert.startswith(lead) and "must be HH:MM-HH:MM" in alert and
                  d.find_element(By.ID, "value").get_attribute("value") == "25:00-26:00" and
                  d.find_element(By.ID, "value").get_attribute("aria-invalid") == "true",
                  "a bad policy value refused in station.ini's words, what was typed kept " +
                  tag, alert)
            axe(d, "policy page with a refusal " + tag)
            fill(d, {"value": "closed"})
            submit(d, "form[action='/policy'] button[value=set]")
            row = d.find_element(By.XPATH, "//tr[th/code='hours.tue']").text
            check(d.find_elements(By.CSS_SELECTOR, "main [role=status]") and "closed" in row
                  and "web:cora" in row, "a policy value set through the form " + tag, row)
            page_ok(d, "policy page " + tag, lang)
            axe(d, "policy page after a change " + tag)
            shot(d, "web-policy-form-desktop" + ("-es" if lang == "es" else ""), True)
            submit(d, "form[action='/policy'] button[value=unset]")
            d.delete_all_cookies()

            sign_in(d, "ana", lang)
            check(at(d, "/stations"), "the admin signed in " + tag, d.current_url)
            fill(d, {"id": "bad id!", "name": "Typed", "key-pem": "not a key"})
            submit(d, "form[action='/stations'] button[value=add]")
            alert = d.find_element(By.CSS_SELECTOR, "main [role=alert]").text
            check("is not a station id" in alert and
                  d.find_element(By.ID, "name").get_attribute("value") == "Typed",
                  "a station's registration refused in the CLI's words " + tag, alert)
            page_ok(d, "stations page with a refusal " + tag, lang)
            axe(d, "stations page with its admin forms and a refusal " + tag)
            shot(d, "web-stations-admin-desktop" + ("-es" if lang == "es" else ""), True)
            d.get(BASE + "/users")
            submit(d, "form[action='/users/cora'] button[value=disable]")
            status = d.find_element(By.CSS_SELECTOR, "main [role=status]").text
            check("cora" in status and
                  d.find_elements(By.CSS_SELECTOR, "form[action='/users/cora'] button[value=enable]"),
                  "an account disabled through its row's form " + tag, status)
            axe(d, "users page after a change " + tag)
            submit(d, "form[action='/users/cora'] button[value=enable]")
            Select(d.find_element(By.ID, "role-aud")).select_by_value("coordinator")
            submit(d, "form[action='/users/aud'] button[value=role]")
            Select(d.find_element(By.ID, "role-aud")).select_by_value("auditor")
            submit(d, "form[action='/users/aud'] button[value=role]")
            check(Select(d.find_element(By.ID, "role-aud")).first_selected_option
                  .get_attribute("value") == "auditor", "a role changed and back " + tag, "")
            page_ok(d, "users page with its forms " + tag, lang)
            shot(d, "web-users-admin-desktop" + ("-es" if lang == "es" else ""), True)
        except Exception as e:  # a page not as expected: said, with where it was
            check(False, "the admin's pages could be walked " + tag,
                  walk_error(d, e))
        finally:
            d.quit()


LAB_PAGES = [("samples", "/samples"), ("sample", "/samples/st-01/1"), ("nov", "/nov/1"),
             ("load-lab", "/loads/st-01/1"),
             ("limits", "/limits"), ("fees", "/fees"), ("policy", "/policy"),
             ("statement", "/fees/statement?hauler=1&month=2026-11&station=st-01")]

if RECEIPT:
    receipt_pages()
lab_walk()
admin_walk()

for size in ("desktop", "phone"):
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
            # the plant's own hauler 1 (the station's own haulers listed too)
            link = d.find_element(By.XPATH, "//tr/th/a[@href='/haulers/1']")
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
            loads_walk(d, size, lang, tag)
        except Exception as e:  # a page not as expected: said, with where it was
            check(False, "the pages could be walked " + tag,
                  walk_error(d, e))
        finally:
            d.quit()

sys.exit(1 if failed else 0)
