/* Maps on Leaflet (static/vendor/leaflet). Every page with a map works without this script:
 * the form has two fields, the overview a list of places, the plan page its place in words.
 * A container says what it is and where its data is in data-* attributes (wijkfonds/web/maps.py,
 * map_data); there is no inline script, which the Content-Security-Policy forbids.
 *
 *   data-map="picker"    the plan form: a click or tap puts the point and fills the fields
 *   data-map="overview"  the plans of the overview as markers, a shape and colour per status
 *   data-map="point"     one plan's point
 */
(function () {
  "use strict";
  var L = window.L;
  if (!L) {
    return;
  }

  var OUTLINE = { color: "#00457a", weight: 2, opacity: 0.7, fillOpacity: 0.04 };
  var CHOSEN = { color: "#00457a", weight: 3, opacity: 1, fillOpacity: 0.12 };
  var BOX = { color: "#4a4a55", weight: 2, dashArray: "6 6", fill: false };

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function stadsdeel(el) {
    var b = el.dataset.bounds.split(",").map(Number); // west,south,east,north
    return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      }
    );
  }

  function attribution(el) {
    var text = el.dataset.attribution || "";
    var url = el.dataset.attributionUrl || "";
    if (!text) {
      return "";
    }
    if (/^(https?:\/\/|\/)/.test(url)) {
      return '<a href="' + escapeHtml(url) + '">' + escapeHtml(text) + "</a>";
    }
    return escapeHtml(text);
  }

  function baseMap(el) {
    el.hidden = false;
    // A map restored from htmx's history cache is Leaflet's markup without Leaflet: start again.
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
    var box = stadsdeel(el);
    var map = L.map(el, {
      zoomControl: false,
      keyboard: true,
      scrollWheelZoom: false,
      maxBounds: box.pad(0.5),
      minZoom: 11,
      zoomSnap: 0.25,
    });
    L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        maxZoom: Number(el.dataset.maxZoom) || 19,
        attribution: attribution(el),
      }).addTo(map);
    }
    map.fitBounds(box);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && el.dataset.close) {
        close.setAttribute("aria-label", el.dataset.close);
        close.setAttribute("title", el.dataset.close);
      }
    });
    return map;
  }

  function symbol(kind) {
    var span = document.createElement("span");
    span.className = "map-symbol map-symbol--" + String(kind).replace(/[^a-z_]/g, "");
    span.setAttribute("aria-hidden", "true");
    return L.divIcon({ className: "map-marker", html: span, iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -12] });
  }

  // Ray casting, as in wijkfonds/services/places/geometry.py (edges count as inside there;
  // here a point on an edge may go either way, the server decides).
  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 1; i < ring.length; i++) {
      var xi = ring[i - 1][0], yi = ring[i - 1][1], xj = ring[i][0], yj = ring[i][1];
      if ((yi > y) !== (yj > y) && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) {
        inside = !inside;
      }
    }
    return inside;
  }

  function inOutline(feature, latlng) {
    return feature.geometry.coordinates.some(function (polygon) {
      return (
        inRing(latlng.lng, latlng.lat, polygon[0]) &&
        !polygon.slice(1).some(function (hole) {
          return inRing(latlng.lng, latlng.lat, hole);
        })
      );
    });
  }

  function picker(el) {
    var map = baseMap(el);
    var lat = document.getElementById(el.dataset.latField);
    var lon = document.getElementById(el.dataset.lonField);
    var district = document.getElementById(el.dataset.districtField);
    var status = document.getElementById(el.dataset.status);
    var clear = document.getElementById(el.dataset.clear);
    var box = L.rectangle(stadsdeel(el), BOX);
    var outlines = {};
    var marker = null;

    function say(text) {
      status.textContent = text || "";
      status.hidden = !text;
    }

    function read(field) {
      var text = field.value.trim().replace(",", ".");
      return text === "" || isNaN(Number(text)) ? null : Number(text);
    }

    function check(latlng) {
      var chosen = outlines[district.value];
      var parts = [el.dataset.picked.replace("{point}", latlng.lat.toFixed(6) + ", " + latlng.lng.toFixed(6))];
      if (chosen && !inOutline(chosen.feature, latlng)) {
        parts.push(el.dataset.outside);
      } else if (!chosen && district.value && !stadsdeel(el).contains(latlng)) {
        parts.push(el.dataset.outside);
      }
      say(parts.join(" "));
    }

    function put(latlng, fill) {
      if (marker) {
        marker.setLatLng(latlng);
      } else {
        marker = L.marker(latlng, { icon: symbol("point"), interactive: false, keyboard: false }).addTo(map);
      }
      if (fill) {
        lat.value = latlng.lat.toFixed(6);
        lon.value = latlng.lng.toFixed(6);
        [lat, lon].forEach(function (field) {
          field.dispatchEvent(new Event("change", { bubbles: true }));
        });
      }
      clear.hidden = false;
      check(latlng);
    }

    function showDistrict() {
      Object.keys(outlines).forEach(function (id) {
        outlines[id].setStyle(id === district.value ? CHOSEN : OUTLINE);
      });
      var chosen = outlines[district.value];
      box.remove();
      if (chosen) {
        if (!marker) {
          map.fitBounds(chosen.getBounds());
        }
      } else if (district.value) {
        box.addTo(map);
        say(el.dataset.noOutline);
      }
      if (marker) {
        check(marker.getLatLng());
      }
    }

    function fromFields() {
      var a = read(lat), b = read(lon);
      if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        put(L.latLng(a, b), false);
        map.panTo(marker.getLatLng());
      }
    }

    map.on("click", function (event) {
      put(event.latlng, true);
    });
    lat.addEventListener("input", fromFields);
    lon.addEventListener("input", fromFields);
    district.addEventListener("change", showDistrict);
    clear.addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      if (marker) {
        marker.remove();
        marker = null;
      }
      clear.hidden = true;
      say(el.dataset.cleared);
    });
    getJSON(el.dataset.outlinesUrl)
      .then(function (data) {
        L.geoJSON(data, {
          style: OUTLINE,
          interactive: false,
          onEachFeature: function (feature, layer) {
            outlines[String(feature.properties.id)] = layer;
          },
        }).addTo(map);
      })
      .catch(function () {})
      .then(function () {
        fromFields();
        showDistrict();
        if (marker) {
          map.setView(marker.getLatLng(), 16);
        }
      });
  }

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.className = "map-popup-link";
    link.textContent = props.title;
    var meta = document.createElement("p");
    meta.className = "map-popup-meta";
    meta.textContent = [props.status_label, props.district, props.location].filter(Boolean).join(" · ");
    box.appendChild(link);
    box.appendChild(meta);
    return box;
  }

  function overview(el) {
    var map = baseMap(el);
    var note = el.dataset.note && document.getElementById(el.dataset.note);
    if (note) {
      note.hidden = true;
    }
    getJSON(el.dataset.outlinesUrl)
      .then(function (data) {
        L.geoJSON(data, { style: OUTLINE, interactive: false }).addTo(map);
      })
      .catch(function () {});
    getJSON(el.dataset.pointsUrl).then(function (data) {
      var group = L.featureGroup();
      data.features.forEach(function (feature) {
        var props = feature.properties;
        var where = feature.geometry.coordinates;
        var label = props.title + " (" + props.status_label + ")";
        var marker = L.marker([where[1], where[0]], { icon: symbol(props.status), title: label, keyboard: true, riseOnHover: true });
        marker.bindPopup(popup(props));
        marker.on("add", function () {
          marker.getElement().setAttribute("aria-label", label);
        });
        marker.on("popupopen", function (event) {
          // Opened with the keyboard (Enter on a marker): go on to the plan's link.
          if (document.activeElement === marker.getElement()) {
            var link = event.popup.getElement().querySelector("a.map-popup-link");
            if (link) {
              link.focus();
            }
          }
        });
        group.addLayer(marker);
      });
      group.addTo(map);
      el.dataset.markers = String(data.features.length);
      if (data.features.length) {
        map.fitBounds(group.getBounds().pad(0.1), { maxZoom: 16 });
      }
    });
  }

  function point(el) {
    var map = baseMap(el);
    var latlng = L.latLng(Number(el.dataset.lat), Number(el.dataset.lon));
    L.marker(latlng, { icon: symbol("point"), interactive: false, keyboard: false }).addTo(map);
    map.setView(latlng, 15);
    getJSON(el.dataset.outlinesUrl)
      .then(function (data) {
        L.geoJSON(data, {
          style: CHOSEN,
          interactive: false,
          filter: function (feature) {
            return String(feature.properties.id) === el.dataset.district;
          },
        }).addTo(map);
      })
      .catch(function () {});
  }

  var KINDS = { picker: picker, overview: overview, point: point };

  function init(root) {
    var found = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-map]")) : [];
    if (root.matches && root.matches("[data-map]")) {
      found.push(root);
    }
    found.forEach(function (el) {
      var start = KINDS[el.dataset.map];
      // A property, not an attribute: htmx's history cache keeps attributes, not properties.
      if (start && !el.wijkfondsMap) {
        el.wijkfondsMap = true;
        start(el);
      }
    });
  }

  init(document);
  document.addEventListener("htmx:load", function (event) {
    init(event.detail.elt);
  });
})();
