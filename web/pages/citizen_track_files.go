package pages

import (
	"net/http"
	"strconv"

	"minyi"
	"minyi/archive"
	"minyi/web/core"
)

// trackAttachment serves a file of an answer of the citizen's own item
// (答复附件): opened with the access code, as the item's photos are.
func (s *Pages) trackAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return minyi.Errorf(minyi.ENotFound, "没有这个附件 / no such attachment")
	}
	number := r.PathValue("number")
	var a archive.Attachment
	err = s.WithAccessCode(r, number, func() (err error) {
		a, err = s.Items.AttachmentForCitizen(r.Context(), number, accessFrom(r), id)
		return err
	})
	if err != nil {
		return err
	}
	core.WriteAttachment(w, number, a, core.WriteCitizenPhoto)
	return nil
}

// trackFiles lists the files of the answers of the citizen's own item for
// the tracking page, whose access code was just checked.
func (s *Pages) trackFiles(r *http.Request, number string) ([]archive.AttachmentInfo, error) {
	return s.Items.AttachmentsForCitizen(r.Context(), number, accessFrom(r))
}
