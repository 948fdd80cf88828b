// World shapes for the Leaflet maps, cut at the antimeridian.
//
// world-atlas 2 keeps its polygons whole on the sphere (Russia, Fiji and Antarctica cross the
// 180th meridian), as d3-geo expects. Leaflet draws coordinates on a plane, so a ring that steps
// from 179.9° to -179.9° is drawn as an edge right across the map: Russia smeared in bands over
// the Atlantic and grey stripes along the poles. The standard cure is d3-geo's spherical
// clipping: every shape is streamed through an equirectangular projection whose scale is one
// degree per unit (so x is the longitude and y minus the latitude), which cuts rings at the
// antimeridian and closes them along it; d3-geo-projection's geoProject collects the cut rings
// back into GeoJSON. Loaded after d3-array, d3-geo, d3-geo-projection and topojson-client.
(function () {
  "use strict";
  const comity = (window.comity = window.comity || {});

  const degrees = d3.geoEquirectangular().scale(180 / Math.PI).translate([0, 0]).precision(0);

  function unflip(coordinates) {
    return typeof coordinates[0] === "number" ? [coordinates[0], -coordinates[1]] : coordinates.map(unflip);
  }

  /** The countries of a world-atlas TopoJSON object as GeoJSON features Leaflet draws right. */
  comity.cutAtAntimeridian = function (topology) {
    const cut = d3.geoProject(topojson.feature(topology, topology.objects.countries), degrees);
    cut.features = cut.features.filter((feature) => feature.geometry);
    cut.features.forEach((feature) => { feature.geometry.coordinates = unflip(feature.geometry.coordinates); });
    return cut;
  };

  /** Fetch the vendored world TopoJSON at `url` and return its countries, cut. */
  comity.worldShapes = function (url) {
    return fetch(url).then((response) => response.json()).then(comity.cutAtAntimeridian);
  };
})();
