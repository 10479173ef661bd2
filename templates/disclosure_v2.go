package templates

// OperatorTemplateV2 is the operator disclosure of disclosure_v1 with one
// change: Chinese, Japanese and Korean text is drawn in Droid Sans
// Fallback, where disclosure_v1 prints U+FFFD for it. Everything else
// draws as in disclosure_v1, whose documents keep rendering (and so
// verifying) as they were issued. New disclosures use this version.
const OperatorTemplateV2 = "disclosure_v2"

// RenderOperatorDisclosureV2 draws the operator disclosure in layout
// disclosure_v2 and embeds attachment as AttachmentName. The same view
// model and attachment always give the same bytes.
func RenderOperatorDisclosureV2(v *OperatorDisclosure, attachment []byte) ([]byte, error) {
	return renderOperatorDisclosure(OperatorTemplateV2, v, attachment)
}
