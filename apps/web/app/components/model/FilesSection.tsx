import { Form } from "@remix-run/react";

import { formatBytes } from "../../lib/format";
import { CopyButton } from "../CopyButton";
import { DownloadPanel } from "./DownloadPanel";
import { Section } from "./Section";
import type { ModelActionResult, ModelDetail } from "./types";

type FileEntry = ModelDetail["files"][number];

/**
 * "Download all": one link to the model's ZIP (its files and SHA256SUMS). The route signs the
 * bundle URL and redirects to it, so it is the same single download with or without JavaScript.
 */
function DownloadAllLink({ model }: { model: ModelDetail }) {
  return (
    <a
      href={`/models/${model.id}/download-all`}
      className="btn-primary"
      data-testid="download-all"
      download
    >
      Download all as ZIP ({formatBytes(model.total_size_bytes)})
    </a>
  );
}

/** SHA256SUMS on its own and the one command that checks downloaded files against it. */
function VerifyFiles({ model }: { model: ModelDetail }) {
  const command = "sha256sum -c SHA256SUMS";
  return (
    <div className="mt-4 rounded-lg bg-slate-50 p-3 text-sm" data-testid="verify-files">
      <p className="text-slate-700">
        Check your downloads: save{" "}
        <a
          href={`/models/${model.id}/SHA256SUMS`}
          className="link font-mono underline"
          data-testid="sha256sums-link"
          download="SHA256SUMS"
        >
          SHA256SUMS
        </a>{" "}
        next to the files (the ZIP already has it), then run
      </p>
      <div className="mt-1 flex items-center gap-2">
        <code className="font-mono text-xs text-slate-900 select-all" data-testid="verify-command">
          {command}
        </code>
        <CopyButton text={command} label="Copy the verify command" />
      </div>
    </div>
  );
}

function FileRow({ file, downloadable }: { file: FileEntry; downloadable: boolean }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="file-row">
      <div className="min-w-0 flex-1 basis-full sm:basis-0">
        <p className="font-mono text-sm font-semibold break-all text-slate-900">{file.name}</p>
        <p className="text-xs text-slate-600">{formatBytes(file.size_bytes)}</p>
        <div className="mt-1 flex items-center gap-2">
          <span className="text-xs text-slate-600">sha256</span>
          <code
            className="font-mono text-xs break-all text-slate-800 select-all"
            data-testid="sha256"
          >
            {file.sha256}
          </code>
          <CopyButton text={file.sha256} label={`Copy the sha256 of ${file.name}`} />
        </div>
      </div>
      {downloadable && (
        // A document request: the answer is a redirect to the signed URL, which the browser saves.
        <Form method="post" reloadDocument>
          <input type="hidden" name="intent" value="download" />
          <input type="hidden" name="file" value={file.name} />
          <button
            type="submit"
            className="btn-secondary"
            aria-label={`Download ${file.name}`}
            data-testid="download-file"
          >
            Download
          </button>
        </Form>
      )}
    </li>
  );
}

/** The stored files with their checksums, one download per file and "Download all". */
export function FilesSection({
  model,
  actionData,
}: {
  model: ModelDetail;
  actionData: ModelActionResult | undefined;
}) {
  const stored = model.status === "stored";
  return (
    <Section
      id="files-title"
      title="Files"
      aside={stored && model.files.length > 0 ? <DownloadAllLink model={model} /> : null}
    >
      <DownloadPanel result={actionData} />
      {model.files.length === 0 ? (
        <p className="text-sm text-slate-700">No files stored yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {model.files.map((file) => (
            <FileRow key={file.name} file={file} downloadable={stored} />
          ))}
        </ul>
      )}
      {stored && model.files.length > 0 && <VerifyFiles model={model} />}
    </Section>
  );
}
