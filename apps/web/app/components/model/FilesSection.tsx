import { Form, useFetcher } from "@remix-run/react";

import { formatBytes } from "../../lib/format";
import { CopyButton } from "../CopyButton";
import { DownloadPanel } from "./DownloadPanel";
import { Section } from "./Section";
import type { ModelActionResult, ModelDetail } from "./types";
import { useSequentialDownloads } from "./use-sequential-downloads";

type FileEntry = ModelDetail["files"][number];

/**
 * "Download all": with JavaScript a fetcher signs the links and the page starts every download
 * itself; without it the form posts and the page comes back with the links.
 */
function DownloadAllButton({
  model,
  fetcher,
}: {
  model: ModelDetail;
  fetcher: ReturnType<typeof useFetcher<ModelActionResult>>;
}) {
  const preparing = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="download-all" />
      <button type="submit" className="btn-primary" disabled={preparing} data-testid="download-all">
        {preparing ? "Preparing links…" : `Download all (${formatBytes(model.total_size_bytes)})`}
      </button>
    </fetcher.Form>
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
  const fetcher = useFetcher<ModelActionResult>({ key: `download-all-${model.id}` });
  useSequentialDownloads(fetcher.data);
  const stored = model.status === "stored";
  return (
    <Section
      id="files-title"
      title="Files"
      aside={
        stored && model.files.length > 0 ? (
          <DownloadAllButton model={model} fetcher={fetcher} />
        ) : null
      }
    >
      <DownloadPanel result={fetcher.data ?? actionData} autoStarted={fetcher.data !== undefined} />
      {model.files.length === 0 ? (
        <p className="text-sm text-slate-700">No files stored yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {model.files.map((file) => (
            <FileRow key={file.name} file={file} downloadable={stored} />
          ))}
        </ul>
      )}
    </Section>
  );
}
