// Keeps a map's view on what it shows: the markers' bounds, or a circle with its whole radius.
import type L from "leaflet";
import { useCallback, useEffect, useRef } from "preact/hooks";

export function useFitted(points: { lat: number; lng: number }[], radius = 0): { onMap: (map: L.Map) => void } {
  const map = useRef<L.Map | null>(null);
  const fit = useCallback(() => {
    const made = map.current;
    // A map the page has already removed (a filter that emptied the list, say) is left alone.
    if (!made || points.length === 0 || !made.getContainer().isConnected) return;
    // A circle's bounds: its centre and radius in degrees (1 degree of latitude is about 111 km).
    const dLat = radius / 111_000;
    const dLng = radius / (111_000 * Math.cos((points[0]!.lat * Math.PI) / 180));
    const corners = points.flatMap((p) => [
      [p.lat - dLat, p.lng - dLng] as [number, number],
      [p.lat + dLat, p.lng + dLng] as [number, number],
    ]);
    made.fitBounds(corners, { maxZoom: 15, padding: [24, 24], animate: false });
  }, [points, radius]);
  useEffect(fit, [fit]);
  const onMap = useCallback(
    (made: L.Map) => {
      map.current = made;
      fit();
    },
    [fit],
  );
  return { onMap };
}
