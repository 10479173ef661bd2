package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"
)

// thaiName is an operator name in Thai script ("Siam Net Company
// Limited"), which a host without a Thai font draws as empty boxes unless
// the page brings the font.
const thaiName = "บริษัท สยามเน็ต จำกัด"

// TestThaiNameRendersInTheBrowser publishes a disclosure of an operator
// with a Thai name and opens the public page in Chromium: the name's
// glyphs must come from a Thai font, the one the PDFs embed, served by
// the pages when the system has none (this test's machines have none).
func TestThaiNameRendersInTheBrowser(t *testing.T) {
	ctx := newBrowser(t)
	ts := startServer(t, t.TempDir())
	defer ts.stop()
	ts.mustJSON("POST", "/v1/operators", testAdminToken,
		map[string]any{"id": "siam-net", "name": thaiName, "country": "TH", "kinds": []string{"mobile"}}, 201, nil)
	var op token
	ts.mustJSON("POST", "/v1/tokens", testAdminToken, map[string]any{"role": "operator", "operator": "siam-net"}, 201, &op)
	ret := exampleReturn(t)
	ret["operator"] = "siam-net"
	var filed filedReturn
	ts.mustJSON("POST", "/v1/operators/siam-net/returns", op.Token, ret, 201, &filed)
	ts.mustJSON("POST", "/v1/returns/"+filed.ID+"/reviews", ts.regulator(), map[string]any{"decision": "accept"}, 201, nil)

	p := &page{t: t, ctx: ctx, base: ts.base}
	p.open("/")
	heading := get(p, "find the operator's heading", chromedp.QueryNodeIDs(chromedp.CSS("section.card h2")))
	if len(heading) != 1 || !strings.Contains(p.text("section.card h2"), thaiName) {
		t.Fatalf("the home page does not show the Thai name: %q", p.text("main"))
	}
	// The font loads after the page; wait for it, within a bound.
	var fonts []string
	for try := 0; try < 100; try++ {
		fonts = platformFonts(p, heading[0])
		if strings.Contains(strings.Join(fonts, ","), "Noto Sans Thai") {
			break
		}
		p.do("wait for the font", chromedp.Sleep(200*time.Millisecond))
	}
	if !strings.Contains(strings.Join(fonts, ","), "Noto Sans Thai") {
		t.Fatalf("the Thai name is drawn with %v, not with Noto Sans Thai", fonts)
	}
	p.shot("thai-home")
}

// platformFonts lists the fonts Chromium drew a node's text with, as
// "family (glyphs)".
func platformFonts(p *page, node cdp.NodeID) []string {
	p.t.Helper()
	var out []string
	p.do("read the fonts", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, css.Enable, cdp.Empty{}); err != nil {
			return err
		}
		res, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: node})
		if err != nil {
			return err
		}
		for _, f := range res.Fonts {
			out = append(out, f.FamilyName)
		}
		return nil
	}))
	return out
}
