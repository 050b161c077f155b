// EPSG:3067 (ETRS-TM35FIN) → WGS84 for PTV's coordinates (ptv.md §0.3, pitfall 8).
//
// The inverse transverse Mercator in Krüger's series to n^4 (as in the Finnish public-sector
// recommendation JHS 197), which is accurate to well under a millimetre inside the zone. ETRS89
// and WGS84 differ by less than a metre in Finland, far below what a kiosk map shows.

#include "sync/ptv_adapter.hpp"

#include <array>
#include <cmath>
#include <numbers>

namespace kohtaamo {
namespace {

constexpr double kSemiMajorAxis = 6378137.0;            // GRS80
constexpr double kFlattening = 1.0 / 298.257222101;     // GRS80
constexpr double kScale = 0.9996;
constexpr double kFalseEasting = 500000.0;
constexpr double kCentralMeridian = 27.0;
constexpr int kLatitudeIterations = 6;

double degrees(double radians) { return radians * 180.0 / std::numbers::pi; }

} // namespace

std::optional<GeoPoint> etrsTm35finToWgs84(double northing, double easting)
{
    if (!std::isfinite(northing) || !std::isfinite(easting)) return std::nullopt;
    if (northing < 6'500'000.0 || northing > 7'900'000.0 || easting < 0.0 || easting > 1'000'000.0) return std::nullopt;

    const double n = kFlattening / (2.0 - kFlattening);
    const double n2 = n * n;
    const double n3 = n2 * n;
    const double n4 = n3 * n;
    const double a1 = kSemiMajorAxis / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0);
    const double e = std::sqrt(2.0 * kFlattening - kFlattening * kFlattening);
    const std::array<double, 4> h{n / 2.0 - 2.0 / 3.0 * n2 + 37.0 / 96.0 * n3 - 1.0 / 360.0 * n4,
                                  1.0 / 48.0 * n2 + 1.0 / 15.0 * n3 - 437.0 / 1440.0 * n4,
                                  17.0 / 480.0 * n3 - 37.0 / 840.0 * n4,
                                  4397.0 / 161280.0 * n4};

    const double xi = northing / (a1 * kScale);
    const double eta = (easting - kFalseEasting) / (a1 * kScale);
    double xiPrime = xi;
    double etaPrime = eta;
    for (std::size_t k = 0; k < h.size(); ++k) {
        const double order = 2.0 * static_cast<double>(k + 1);
        xiPrime -= h[k] * std::sin(order * xi) * std::cosh(order * eta);
        etaPrime -= h[k] * std::cos(order * xi) * std::sinh(order * eta);
    }
    const double beta = std::asin(std::sin(xiPrime) / std::cosh(etaPrime));
    const double longitudeOffset = std::asin(std::tanh(etaPrime) / std::cos(beta));
    const double q = std::asinh(std::tan(beta));
    double qPrime = q;
    for (int i = 0; i < kLatitudeIterations; ++i) qPrime = q + e * std::atanh(e * std::tanh(qPrime));

    return GeoPoint{.lat = degrees(std::atan(std::sinh(qPrime))), .lon = kCentralMeridian + degrees(longitudeOffset)};
}

} // namespace kohtaamo
