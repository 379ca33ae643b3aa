// Photos the API serves only with the Bearer token: each is fetched through the API client and shown from a
// blob URL (revoked when it leaves the page); a photo opens larger in a dialog (Escape or the button closes it).
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { t } from "../i18n";
import "./photos.css";

export interface PhotoSource {
  /** Stable per photo: a new key fetches again. */
  key: string;
  load: () => Promise<Blob>;
  alt: string;
}

/** A blob's object URL for as long as the component shows it. */
function useBlobUrl(source: PhotoSource): { url?: string; error?: ApiError } {
  const [state, setState] = useState<{ url?: string; error?: ApiError }>({});
  useEffect(() => {
    let live = true;
    let url: string | undefined;
    setState({});
    source.load().then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setState({ url });
      },
      (error: unknown) => live && setState({ error: error instanceof ApiError ? error : new ApiError(0, String(error)) }),
    );
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source.key]);
  return state;
}

function Photo(props: { source: PhotoSource }) {
  const { url, error } = useBlobUrl(props.source);
  const dialog = useRef<HTMLDialogElement>(null);
  if (error) {
    return (
      <p class="photo-missing" role="alert">
        {t("photos.failed", { alt: props.source.alt, status: error.status || "–" })}
      </p>
    );
  }
  if (!url) return <p class="photo-missing">{t("photos.loading")}</p>;
  return (
    <>
      <button type="button" class="photo-thumb" aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        <img src={url} alt={props.source.alt} />
        <span class="sr-only">{t("photos.enlarge")}</span>
      </button>
      <dialog ref={dialog} class="photo-dialog" aria-label={props.source.alt}>
        <img src={url} alt={props.source.alt} />
        <form method="dialog">
          <button type="submit" autoFocus>
            {t("photos.close")}
          </button>
        </form>
      </dialog>
    </>
  );
}

/** The photos as a row of thumbnails, each a button that opens it larger. */
export function Photos(props: { label: string; sources: PhotoSource[] }) {
  return (
    <ul class="photos" aria-label={props.label}>
      {props.sources.map((source) => (
        <li key={source.key}>
          <Photo source={source} />
        </li>
      ))}
    </ul>
  );
}
