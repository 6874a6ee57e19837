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
       key('tt-id', exsl:node-set($ids)/i)/parent::*[ancestor::tei:standOff[parent::tei:TEI[not(parent::*)]]]. -->
  <xsl:template name="tt-mentioned-ids">
    <xsl:for-each select="set:distinct(//tei:text//*/@ref)">
      <i><xsl:value-of select="substring-after(., '#')"/></i>
    </xsl:for-each>
  </xsl:template>

  <!-- The records a document names, each once, in the order of their first mention:
       <i n="persName|placeName|orgName">id</i>, for the first mention of each record in the
       document (not in a document within it), when that mention is a name. Each distinct @ref
       is taken once; of two that name the same record ("#x", "a#x"), the first, which takes a
       search only where a pointer does not start with "#". Linear in the document: a key of the
       mentions by record and document gives a record's list whole at every look-up, the square
       of its mentions in one long document. A mention's own document is looked for (up its
       ancestors) only when the scope holds another document: the mentions and the documents in
       the scope are found in one walk, and most documents hold none (a quarter fewer
       instructions for the records of a long document). -->
  <xsl:template name="tt-first-mentions">
    <xsl:param name="scope" select="."/>
    <xsl:variable name="marked" select="$scope/descendant::*[@ref or @type='document' or parent::tei:text]"/>
    <xsl:variable name="nested" select="not($scope[@type='document' or parent::tei:text])
                                        or boolean($marked[@type='document' or parent::tei:text])"/>
    <xsl:variable name="refs" select="set:distinct($marked[@ref][not($nested) or count(ancestor::*[@type='document' or parent::tei:text][1] | $scope) = 1]/@ref)"/>
    <xsl:variable name="odd" select="$refs[not(starts-with(., '#'))]"/>
    <xsl:for-each select="$refs[parent::tei:persName or parent::tei:placeName or parent::tei:orgName]">
      <xsl:variable name="rid" select="substring-after(., '#')"/>
      <xsl:if test="(starts-with(., '#') and count(($odd[substring-after(., '#') = $rid] | .)[1] | .) = 1)
                    or (not(starts-with(., '#')) and count($refs[substring-after(., '#') = $rid][1] | .) = 1)">
        <i n="{local-name(..)}"><xsl:value-of select="$rid"/></i>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
