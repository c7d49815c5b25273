"""Vietnamese text primitives every stage uses: NFC and comparison keys, tone placement, printed
numbers, rating words and the legacy TCVN3/VNI font encodings. They know neither files nor frameworks,
so extract/ and normalize/ both build on them."""
