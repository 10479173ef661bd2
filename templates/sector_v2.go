package templates

// SectorTemplateV2 is the sector report of sector_v1 with Chinese,
// Japanese and Korean text drawn in Droid Sans Fallback instead of
// U+FFFD (see OperatorTemplateV2). Released: new sector reports use
// sector_v3.
const SectorTemplateV2 = "sector_v2"

// RenderSectorReportV2 draws the sector report in layout sector_v2 and
// embeds attachment as AttachmentName. The same view model and
// attachment always give the same bytes.
func RenderSectorReportV2(r *SectorReport, attachment []byte) ([]byte, error) {
	return renderSectorReport(SectorTemplateV2, r, attachment)
}
