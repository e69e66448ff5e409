import FraudModels

/// Plausible merchant attributes (channel, MCC, country), drawn once per merchant.
///
/// These only decorate transactions: the handbook's fraud scenarios ignore them.
enum MerchantCatalogue {
    /// (weight, channel).
    static let channels: [(Double, String)] = [(0.82, "card_present"), (0.15, "ecommerce"), (0.03, "atm")]
    /// (weight, ISO 18245 code) for physical shops.
    static let cardPresentMCCs: [(Double, Int)] = [
        (0.22, 5411),  // grocery stores, supermarkets
        (0.14, 5812),  // restaurants
        (0.10, 5814),  // fast food
        (0.09, 5541),  // service stations
        (0.08, 5912),  // pharmacies
        (0.07, 5311),  // department stores
        (0.07, 5651),  // family clothing
        (0.05, 5732),  // electronics
        (0.05, 5499),  // misc. food stores
        (0.04, 4111),  // local transport
        (0.03, 7011),  // hotels
        (0.03, 5942),  // book stores
        (0.03, 7230),  // beauty shops
    ]
    /// (weight, ISO 18245 code) for online shops.
    static let ecommerceMCCs: [(Double, Int)] = [
        (0.30, 5999),  // misc. retail
        (0.15, 5732),  // electronics
        (0.15, 5815),  // digital goods: media
        (0.10, 5942),  // books
        (0.10, 4722),  // travel agencies
        (0.10, 4816),  // computer network services
        (0.10, 5691),  // clothing
    ]
    /// (weight, ISO 3166 alpha-2) for online shops; physical ones are in the box (BE).
    static let ecommerceCountries: [(Double, String)] = [
        (0.50, "BE"), (0.15, "NL"), (0.12, "FR"), (0.10, "DE"), (0.05, "LU"), (0.04, "IE"), (0.04, "US"),
    ]

    static func pick<T>(_ table: [(Double, T)], _ u: Double) -> T {
        var cumulative = 0.0
        for (weight, value) in table {
            cumulative += weight
            if u < cumulative { return value }
        }
        return table[table.count - 1].1
    }

    /// Draws one merchant's attributes (always three draws, whatever the channel).
    static func draw(_ random: inout DeterministicRandom) -> (mcc: Int, country: String, channel: String) {
        let channel = pick(channels, random.nextDouble())
        let mccDraw = random.nextDouble()
        let countryDraw = random.nextDouble()
        switch channel {
        case "atm": return (6011, "BE", channel)
        case "ecommerce": return (pick(ecommerceMCCs, mccDraw), pick(ecommerceCountries, countryDraw), channel)
        default: return (pick(cardPresentMCCs, mccDraw), "BE", channel)
        }
    }
}
