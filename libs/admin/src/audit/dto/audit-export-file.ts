import { StreamableFile } from '@nestjs/common';
import type { AuditExport } from '@portcullis/audit';

/** The export as a download: its media type and an attachment filename. */
export function toAuditExportFile(exported: AuditExport): StreamableFile {
  return new StreamableFile(exported.body, {
    type: exported.contentType,
    disposition: `attachment; filename="${exported.filename}"`,
  });
}
