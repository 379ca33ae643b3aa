// A Leaflet map (bundled) with the configured tiles; without tiles (offline, tests) the markers and circles
// still show. `onMap` hands the Leaflet map to a page that needs more (drawing a circle, say).
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import { config } from "../config";

export interface Marker {
  lat: number;
  lng: number;
  label: string;
}

export interface Circle {
  lat: number;
  lng: number;
  radius: number; // metres
  label?: string;
}

export function MapView(props: {
  label: string;
  center: [number, number];
  zoom?: number;
  markers?: Marker[];
  circles?: Circle[];
  onMap?: (map: L.Map) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  useEffect(() => {
    if (!element.current) return undefined;
    // No animations: a console map jumps to its view. Leaflet's zoom and fade animations finish on timers,
    // and a timer that fires after the page has moved on (the map removed) reads a pane that is gone.
    const made = L.map(element.current, {
      center: props.center,
      zoom: props.zoom ?? 14,
      zoomAnimation: false,
      fadeAnimation: false,
      markerZoomAnimation: false,
    });
    const tiles = config().tiles;
    if (tiles.url) L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(made);
    layer.current = L.layerGroup().addTo(made);
    map.current = made;
    props.onMap?.(made);
    return () => {
      map.current = null;
      made.stop();
      made.remove();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    const group = layer.current;
    if (!group) return;
    group.clearLayers();
    for (const marker of props.markers ?? []) {
      // A circle marker is drawn, not an image: it shows without any file or tile.
      L.circleMarker([marker.lat, marker.lng], { radius: 8, color: "#0b4f9c", weight: 3, fillOpacity: 0.6 })
        .bindTooltip(marker.label)
        .addTo(group);
    }
    for (const circle of props.circles ?? []) {
      const drawn = L.circle([circle.lat, circle.lng], { radius: circle.radius, color: "#a1141c", weight: 2 });
      if (circle.label) drawn.bindTooltip(circle.label);
      drawn.addTo(group);
    }
  }, [props.markers, props.circles]);
  return <div ref={element} class="map" role="region" aria-label={props.label} />;
}
