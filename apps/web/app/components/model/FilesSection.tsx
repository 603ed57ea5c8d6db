import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";

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
type DownloadFetcher = ReturnType<typeof useFetcher<ModelActionResult>>;

function DownloadAllButton({ model, fetcher }: { model: ModelDetail; fetcher: DownloadFetcher }) {
  const preparing = fetcher.state !== "idle" && fetcher.formData?.get("intent") === "download-all";
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="download-all" />
      {/* Not `disabled` while preparing: a disabled button drops the keyboard focus to the page. */}
      <button
        type="submit"
        className="btn-primary"
        aria-disabled={preparing}
        onClick={(event) => preparing && event.preventDefault()}
        data-testid="download-all"
      >
        {preparing ? "Preparing links…" : `Download all (${formatBytes(model.total_size_bytes)})`}
      </button>
    </fetcher.Form>
  );
}

/** Whether the page's script runs (after hydration); false in the server's HTML. */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function FileRow({
  file,
  downloadable,
  fetcher,
}: {
  file: FileEntry;
  downloadable: boolean;
  fetcher: DownloadFetcher;
}) {
  const hydrated = useHydrated();
  const preparing =
    fetcher.state !== "idle" &&
    fetcher.formData?.get("intent") === "download" &&
    fetcher.formData.get("file") === file.name;
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
      {downloadable &&
        (hydrated ? (
          // With JavaScript: the signed link comes back as data and the page starts the download,
          // so a refusal (or a link on another origin) is shown instead of a click doing nothing.
          <fetcher.Form method="post">
            <input type="hidden" name="intent" value="download" />
            <input type="hidden" name="file" value={file.name} />
            <input type="hidden" name="respond" value="link" />
            <DownloadFileButton name={file.name} preparing={preparing} />
          </fetcher.Form>
        ) : (
          // Without: a document request answered by a redirect to the signed URL.
          <Form method="post" reloadDocument>
            <input type="hidden" name="intent" value="download" />
            <input type="hidden" name="file" value={file.name} />
            <DownloadFileButton name={file.name} preparing={false} />
          </Form>
        ))}
    </li>
  );
}

function DownloadFileButton({ name, preparing }: { name: string; preparing: boolean }) {
  return (
    <button
      type="submit"
      className="btn-secondary"
      aria-disabled={preparing}
      onClick={(event) => preparing && event.preventDefault()}
      data-testid="download-file"
      data-file={name}
    >
      {preparing ? "Preparing…" : "Download"}
      <span className="sr-only"> {name}</span>
    </button>
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
            <FileRow key={file.name} file={file} downloadable={stored} fetcher={fetcher} />
          ))}
        </ul>
      )}
    </Section>
  );
}
