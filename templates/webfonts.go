package templates

// WebFont returns a font the PDFs embed, by its file name, for the web
// pages to serve as a web font where a reader's system lacks the script:
// Noto Sans Thai (regular and bold) and Droid Sans Fallback (Chinese,
// Japanese, Korean). The pages then show an operator's name in the
// glyphs its PDF prints. Only these names are served; ok is false for
// any other.
func WebFont(name string) (font []byte, ok bool) {
	switch name {
	case "NotoSansThai-Regular.ttf":
		return fontThai, true
	case "NotoSansThai-Bold.ttf":
		return fontThaiBold, true
	case "DroidSansFallback.ttf":
		return fontCJK, true
	}
	return nil, false
}
