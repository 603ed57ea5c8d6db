import { Form, useFetcher } from "@remix-run/react";

import { formatBytes } from "../../lib/format";
import { useHydrated } from "../../lib/use-hydrated";
import { CopyButton } from "../CopyButton";
import { DownloadPanel } from "./DownloadPanel";
import { Section } from "./Section";
import type { ModelActionResult, ModelDetail } from "./types";
import { useSequentialDownloads } from "./use-sequential-downloads";

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

type DownloadFetcher = ReturnType<typeof useFetcher<ModelActionResult>>;

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

/** The stored files with their checksums, one download per file and "Download all" (a ZIP). */
export function FilesSection({
  model,
  actionData,
}: {
  model: ModelDetail;
  actionData: ModelActionResult | undefined;
}) {
  const fetcher = useFetcher<ModelActionResult>({ key: `download-file-${model.id}` });
  useSequentialDownloads(fetcher.data);
  const stored = model.status === "stored";
  return (
    <Section
      id="files-title"
      title="Files"
      aside={stored && model.files.length > 0 ? <DownloadAllLink model={model} /> : null}
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
      {stored && model.files.length > 0 && <VerifyFiles model={model} />}
    </Section>
  );
}
