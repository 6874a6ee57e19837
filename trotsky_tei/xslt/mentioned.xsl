<?xml version="1.0" encoding="UTF-8"?>
<!--
  The authority records the text mentions, for the stylesheets that need to know only whether a
  record is mentioned (Dublin Core, EAD). Included, never run alone.

  A key on the mentions by record id (tt-mentions, declared by the stylesheets that list or count
  a record's mentions) costs libxslt the square of a record's mentions to build: each node it
  adds under a value is compared with every node already there. At 1000 times the corpus that is
  about 2 seconds, paid by every export that declares the key. Here each distinct @ref is taken
  once (set:distinct hashes the values) and its record looked up by id: linear in the text.
  The look-up joins the records into one set, and libxml2 compares each record it adds with
  those already there: the square of the number of distinct records mentioned, which is
  nothing for an edition (0.05 s for 10,000 records) and 2.4 s for 40,000 in one file.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:exsl="http://exslt.org/common"
    xmlns:set="http://exslt.org/sets"
    exclude-result-prefixes="tei exsl set">

  <!-- The ids the text's pointers name, each once: <i> elements. A named template, not a global
       variable: libxslt evaluates every global variable of a stylesheet whether a run uses it
       or not, and a Dublin Core record of one document does not. The records of
       /tei:TEI/tei:standOff that the text mentions, in document order, are then
       key('tt-id', exsl:node-set($ids)/i)[ancestor::tei:standOff[parent::tei:TEI[not(parent::*)]]]. -->
  <xsl:template name="tt-mentioned-ids">
    <xsl:for-each select="set:distinct(//tei:text//*/@ref)">
      <i><xsl:value-of select="substring-after(., '#')"/></i>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
